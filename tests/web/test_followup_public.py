"""Public evaluation summary and open-data downloads."""

import json

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import Renew, Role
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation
from pdvsolutions.services.phases import change_phase

from .. import factories
from .. import factories_followup as ff


@pytest.fixture
def closed_round(app):
    with app.app_context():
        w = ff.follow_up_world(Phase.EVALUATION)
        voters = [ff.make_voter(w["round"]) for _ in range(3)]
        for voter, rating in zip(voters[:2], (5, 4), strict=True):
            evaluation.submit_evaluation(w["funded"], voter, evaluation.Answers(
                rating, rating, rating, rating, f"Avis {rating}", Renew.YES))
        change_phase(w["round"], Phase.CLOSED, factories.make_user(Role.STAFF))
        db.session.commit()
        return w["round"].id


def test_public_summary_shows_rates_and_accessible_charts(client, closed_round):
    html = client.get(f"/editions/{closed_round}/evaluation").get_data(as_text=True)
    assert "2 réponse(s) sur 3 votant(s) (67 %)" in html
    assert "moyenne 4,5 sur 5" in html
    assert 'role="img"' in html and "<desc" in html and "note 5 : 1" in html
    assert "Avis 5" in html


def test_public_summary_absent_before_closing(client, app):
    with app.app_context():
        round_id = ff.follow_up_world(Phase.EVALUATION)["round"].id
        db.session.commit()
    assert client.get(f"/editions/{round_id}/evaluation").status_code == 404


def test_open_data_json_has_licence_and_rows(client, closed_round):
    payload = json.loads(client.get("/donnees-ouvertes/evaluations.json").get_data(as_text=True))
    assert payload["licence"].startswith("Licence Ouverte")
    assert payload["donnees"][0]["reponses"] == 2


def test_open_data_unknown_dataset_is_404(client):
    assert client.get("/donnees-ouvertes/comptes.csv").status_code == 404
    assert client.get("/donnees-ouvertes/besoins.xml").status_code == 404


def test_scdl_csv_is_utf8_with_header(client):
    response = client.get("/donnees-ouvertes/subventions.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data(as_text=True).startswith("nomAttribuant,idAttribuant,")
