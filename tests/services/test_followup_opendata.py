"""Open data: the SCDL file is valid against the vendored schema; no personal data anywhere."""

import json
import re
from pathlib import Path

import pytest
from stdnum.fr import siret

from pdvsolutions.models import Grant, Instrument, Renew, Role
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation, grants, opendata
from pdvsolutions.services.phases import change_phase

from .. import factories
from .. import factories_followup as ff

SCHEMA = Path(__file__).parents[2] / "pdvsolutions/data/scdl/subventions-2.1.1.schema.json"


@pytest.fixture
def world(app_ctx):
    w = ff.follow_up_world(Phase.EVALUATION)
    staff = factories.make_user(Role.STAFF, first_name="Agathe", last_name="Staffeuse")
    voter = ff.make_voter(w["round"], first_name="Zoubida", last_name="Votante",
                          email="zoubida.votante@example.org")
    grant = grants.record_grant(w["funded"], staff, reference="DEL-2026-07",
                                decided_on=ff.GRANT_DATE, amount_cents=1_200_000,
                                adjustment_reason=None, years=[(2026, 1_200_000)])
    for month in (3, 9):
        grants.plan_payment(grant, staff, planned_on=ff.GRANT_DATE.replace(month=month),
                            amount_cents=600_000, condition="Échéance")
    evaluation.submit_evaluation(w["funded"], voter, evaluation.Answers(
        4, 4, 4, 4, "Merci à Zoubida Votante", Renew.YES))
    change_phase(w["round"], Phase.CLOSED, staff)
    w.update(staff=staff, voter=voter, grant=grant)
    return w


def test_scdl_export_is_valid_against_schema(world, tmp_path):
    from frictionless import Resource, Schema

    path = tmp_path / "subventions.csv"
    path.write_text(opendata.as_csv(opendata.DATASETS["subventions"]), encoding="utf-8")
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 1


def test_scdl_row_has_round_title_and_payment_period(world):
    row = opendata.scdl_rows()[0]
    assert row["dispositifAide"] == "Appel à solutions 2026"
    assert row["conditionsVersement"] == "échelonné"
    assert row["datesPeriodeVersement"] == "2026-03-02/2026-09-02"
    assert row["montant"] == "12000.00"


def test_scdl_includes_grants_of_other_instruments(world):
    from pdvsolutions.extensions import db

    db.session.add(Grant(organization_id=world["org"].id, instrument=Instrument.AGREEMENT,
                         reference="CPO-2026-1", decided_on=ff.GRANT_DATE,
                         amount_cents=9_000_000, purpose="Fonctionnement de la régie"))
    db.session.flush()
    names = [r["dispositifAide"] for r in opendata.scdl_rows()]
    assert "Convention pluriannuelle d'objectifs" in names


def test_attribuant_siret_is_valid(app):
    assert siret.is_valid(app.config["PDV_ATTRIBUANT_SIRET"])


@pytest.mark.parametrize("slug", list(opendata.DATASETS))
def test_open_data_has_no_personal_data(world, slug):
    dataset = opendata.DATASETS[slug]
    texts = [opendata.as_csv(dataset), opendata.as_json(dataset)]
    people = [world["voter"], world["staff"], world["operator"]]
    for text in texts:
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), "e-mail address in open data"
        for person in people:
            assert person.last_name not in text
        for forbidden in ("user_id", "author_id", "email", "recorded_by", "submitted_by"):
            assert forbidden not in text


def test_evaluation_dataset_holds_aggregates_only(world):
    rows = opendata.evaluations_rows()
    assert rows[0]["reponses"] == 1 and rows[0]["moyenne_quality"] == "4.00"
    assert "comment" not in json.dumps(rows)
