"""The evaluation pages: voters evaluate once, others see why they cannot."""

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import Evaluation, ProgressReport, ReportBudgetLine, ReportKind, Role
from pdvsolutions.rules.phases import Phase

from .. import factories
from .. import factories_followup as ff
from ..conftest import count

FORM = {"answers_need": "4", "quality": "4", "reach": "3", "relation": "5", "renew": "yes",
        "comment": "Les enfants ont progressé."}


@pytest.fixture
def world(app):
    with app.app_context():
        w = ff.follow_up_world(Phase.EVALUATION)
        voter = ff.make_voter(w["round"])
        member = ff.make_voter(w["round"], signed=False)
        db.session.add(ProgressReport(
            proposal_id=w["funded"].id, kind=ReportKind.INTERIM, done="Vingt séances de soutien",
            people_reached=40, budget_lines=[ReportBudgetLine(
                account_code="64", label="Personnel", planned_cents=500_000,
                actual_cents=480_000)]))
        db.session.commit()
        return {"url": f"/evaluation/{w['round'].id}/actions/{w['funded'].id}",
                "list": f"/evaluation/{w['round'].id}", "voter": voter.email,
                "member": member.email, "operator": w["operator"].email,
                "round": w["round"].id}


def test_voter_sees_progress_report_beside_form(client, auth, world):
    auth.login(world["voter"])
    html = client.get(world["url"]).get_data(as_text=True)
    assert "Vingt séances de soutien" in html and 'name="answers_need"' in html


def test_voter_evaluates_once(client, auth, post, app, world):
    auth.login(world["voter"])
    assert post(world["url"], FORM).status_code == 302
    again = client.get(world["url"], follow_redirects=True).get_data(as_text=True)
    assert "déjà évalué" in again
    post(world["url"], FORM)
    with app.app_context():
        assert count(Evaluation) == 1


def test_member_who_did_not_vote_sees_clear_message(client, auth, world):
    auth.login(world["member"])
    response = client.get(world["list"])
    assert response.status_code == 403
    assert "Vous n'avez pas voté" in response.get_data(as_text=True)


def test_operator_cannot_evaluate(client, auth, post, app, world):
    auth.login(world["operator"])
    assert post(world["url"], FORM).status_code == 403
    with app.app_context():
        assert count(Evaluation) == 0


def test_resident_outside_committee_cannot_evaluate(client, auth, app, world):
    with app.app_context():
        outsider = factories.make_user(Role.RESIDENT)
        db.session.commit()
        email = outsider.email
    auth.login(email)
    assert client.get(world["url"]).status_code == 403


@pytest.mark.parametrize("field,value,message", [
    ("quality", "6", "Choisissez une note de 1 à 5"),
    ("reach", "", "Choisissez une note de 1 à 5"),
    ("renew", "peut-être", "Choisissez une réponse"),
    ("comment", "<script>alert('x')</script>", "balises HTML"),
    ("comment", "x" * 2001, "2000 caractères"),
])
def test_bad_evaluation_gets_french_message(client, auth, post, app, world, field, value,
                                            message):
    auth.login(world["voter"])
    response = post(world["url"], {**FORM, field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(Evaluation) == 0


def test_evaluation_page_absent_outside_evaluation_phases(client, auth, app):
    with app.app_context():
        w = ff.follow_up_world(Phase.FOLLOW_UP)
        voter = ff.make_voter(w["round"])
        db.session.commit()
        url, email = f"/evaluation/{w['round'].id}", voter.email
    auth.login(email)
    assert client.get(url).status_code == 404


def test_closed_round_refuses_new_evaluation(client, auth, app, world):
    with app.app_context():
        from pdvsolutions.models import Round
        db.session.get(Round, world["round"]).phase = Phase.CLOSED
        db.session.commit()
    auth.login(world["voter"])
    response = client.get(world["url"])
    assert response.status_code == 403
    assert "pas ouverte" in response.get_data(as_text=True)
