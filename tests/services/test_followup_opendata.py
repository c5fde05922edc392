"""Open data: the SCDL file is valid against the vendored schema; no personal data anywhere."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from stdnum.fr import siret

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    DecisionOutcome,
    Grant,
    Instrument,
    Need,
    NeedStatus,
    ProgressReport,
    Renew,
    ReportBudgetLine,
    ReportKind,
    ReportStatus,
    Role,
)
from pdvsolutions.rules.agreements import ReviewDecision
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import agreements, evaluation, funds, grants, opendata
from pdvsolutions.services.phases import change_phase

from .. import factories
from .. import factories_followup as ff
from ..factories_funds import make_agreement, make_fund, make_sprint
from ..factories_needs import support

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
    w.update(staff=staff, voter=voter, grant=grant, **_personal_traces(w, staff))
    w.update(_other_instruments(staff))
    return w


def _personal_traces(w, staff):
    """People whose names could leak: a need's author, a supporter, a report's author."""
    author = factories.make_user(Role.RESIDENT, first_name="Fatoumata", last_name="Auteure",
                                 email="fatoumata.auteure@example.org")
    supporter = factories.make_user(Role.RESIDENT, first_name="Gérald", last_name="Soutenant",
                                    username="gerald.soutenant", email=None)
    need = Need(round_id=w["round"].id, field_id=w["round"].fields[0].id, author_id=author.id,
                title="Des bancs à l'ombre", description="Place du marché.",
                status=NeedStatus.PUBLISHED)
    db.session.add(need)
    db.session.flush()
    support(need, supporter)
    w["operator"].first_name, w["operator"].last_name = "Octave", "Operateur"
    db.session.add(ProgressReport(
        proposal_id=w["funded"].id, kind=ReportKind.FINAL, done="Trente séances.",
        people_reached=30, status=ReportStatus.ACKNOWLEDGED, submitted_by_id=w["operator"].id,
        reviewed_by_id=staff.id, budget_lines=[ReportBudgetLine(
            account_code="64", label="Personnel", planned_cents=100, actual_cents=90)]))
    db.session.flush()
    return {"author": author, "supporter": supporter}


def _other_instruments(staff):
    """A grant from a fund (anti-appel à projets) and two CPO tranches, by their services."""
    fund = make_fund(name="Fonds Fondation Quartiers")
    sprint = make_sprint(pitched=True)
    decision = funds.decide_funding(
        sprint.prospect, staff, fund_id=fund.id, outcome=DecisionOutcome.FUNDED,
        committee="Comité du fonds", decided_on=date(2026, 4, 1), amount_cents=2_500_000,
        reason="Prototype convaincant")
    agreement = make_agreement(reference="CPO-2025-007")
    agreements.review_tranche(
        agreement.tranches[1], staff, reviewed_on=date(2026, 1, 20),
        indicators_achieved="110 élèves", assessment="Objectifs tenus",
        decision=ReviewDecision.RELEASED, amount_cents=None, reason="")
    db.session.flush()
    return {"fund_grant": decision.grant, "agreement": agreement}


def _validate(text: str, folder: Path):
    """Validate a CSV text against the vendored SCDL schema with frictionless."""
    from frictionless import Resource, Schema

    path = folder / "subventions.csv"
    path.write_text(text, encoding="utf-8")
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    report = Resource(path=path.name, basepath=str(folder), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    return report


def test_scdl_export_is_valid_against_schema(world, tmp_path):
    report = _validate(opendata.as_csv(opendata.DATASETS["subventions"]), tmp_path)
    # The round's grant, the fund's grant and the two released CPO tranches.
    assert report.tasks[0].stats["rows"] == 4


def test_demo_scdl_export_is_valid_and_names_every_instrument(app, tmp_path):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        _validate(opendata.as_csv(opendata.DATASETS["subventions"]), tmp_path)
        names = {r["dispositifAide"] for r in opendata.scdl_rows()}
    assert "Appel à solutions 2026 – Grand Saint-Barthélemy" in names
    assert any(re.fullmatch(r"Anti-appel à projets — .+", n) for n in names)
    assert any(re.fullmatch(r"Convention pluriannuelle d'objectifs — CPO-.+", n) for n in names)
    assert "" not in names


def _row(reference):
    return next(r for r in opendata.scdl_rows() if r["referenceDecision"] == reference)


def test_scdl_row_has_round_title_and_payment_period(world):
    row = _row("DEL-2026-07")
    assert row["dispositifAide"] == "Appel à solutions 2026"
    assert row["conditionsVersement"] == "échelonné"
    assert row["datesPeriodeVersement"] == "2026-03-02/2026-09-02"
    assert row["montant"] == "12000.00"


def test_scdl_fund_grant_names_the_fund(world):
    row = _row(world["fund_grant"].reference)
    assert row["dispositifAide"] == "Anti-appel à projets — Fonds Fondation Quartiers"
    assert row["montant"] == "25000.00"
    assert row["idBeneficiaire"] == world["fund_grant"].organization.siret


def test_scdl_agreement_tranches_name_the_agreement(world):
    rows = [r for r in opendata.scdl_rows() if r["referenceDecision"].startswith("CPO-2025-007")]
    assert [(r["referenceDecision"], r["dateConvention"], r["dispositifAide"]) for r in rows] == [
        ("CPO-2025-007-2025", "2025-01-10",
         "Convention pluriannuelle d'objectifs — CPO-2025-007"),
        ("CPO-2025-007-2026", "2026-01-20",
         "Convention pluriannuelle d'objectifs — CPO-2025-007"),
    ]


def test_scdl_grant_without_ledger_or_tranche_still_names_its_instrument(world):
    db.session.add(Grant(organization_id=world["org"].id, instrument=Instrument.AGREEMENT,
                         reference="CPO-HORS-TRANCHE", decided_on=ff.GRANT_DATE,
                         amount_cents=9_000_000, purpose="Fonctionnement de la régie"))
    db.session.flush()
    assert _row("CPO-HORS-TRANCHE")["dispositifAide"] == "Convention pluriannuelle d'objectifs"


def test_attribuant_siret_is_valid(app):
    assert siret.is_valid(app.config["PDV_ATTRIBUANT_SIRET"])


@pytest.mark.parametrize("slug", list(opendata.DATASETS))
def test_open_data_has_no_personal_data(world, slug):
    dataset = opendata.DATASETS[slug]
    texts = [opendata.as_csv(dataset), opendata.as_json(dataset)]
    people = [world["voter"], world["staff"], world["operator"], world["author"],
              world["supporter"]]
    assert world["author"].id != world["supporter"].id  # both exist, with their names
    for text in texts:
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), "e-mail address in open data"
        for person in people:
            assert person.last_name not in text and person.first_name not in text
        assert "gerald.soutenant" not in text
        for forbidden in ("user", "author", "auteur", "email", "courriel", "recorded_by",
                          "submitted_by", "reviewed_by", "created_by", "votant_id"):
            assert forbidden not in text


def test_open_data_needs_keep_the_need_but_not_its_author(world):
    row = next(r for r in opendata.needs_rows() if r["titre"] == "Des bancs à l'ombre")
    assert row["soutiens"] == 1
    assert set(row) == {"id", "edition_id", "edition", "territoire", "thematique", "titre",
                        "description", "lieu", "statut", "soutiens", "date_publication"}


def test_evaluation_dataset_holds_aggregates_only(world):
    rows = opendata.evaluations_rows()
    assert rows[0]["reponses"] == 1 and rows[0]["moyenne_quality"] == "4.00"
    assert "comment" not in json.dumps(rows)
