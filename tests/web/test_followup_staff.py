"""Staff follow-up pages: grants, payments, reviews, paper evaluation; bad input changes nothing."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    CommentStatus,
    Evaluation,
    Grant,
    Need,
    Payment,
    ProgressReport,
    Proposal,
    ReportBudgetLine,
    ReportKind,
    ReportStatus,
    Role,
    Round,
    User,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation, grants

from .. import factories
from .. import factories_followup as ff
from ..conftest import count

GRANT_FORM = {"reference": "DEL-2026-12", "decided_on": "2026-03-02", "amount": "12 000,00",
              "year_1": "2026", "year_amount_1": "7000", "year_2": "2027",
              "year_amount_2": "5 000"}


@pytest.fixture
def world(app, auth):
    with app.app_context():
        w = ff.follow_up_world()
        staff = factories.make_user(Role.STAFF)
        db.session.commit()
        ids = {"round": w["round"].id, "funded": w["funded"].id, "staff": staff.id,
               "org": w["org"].id, "email": staff.email}
    auth.login(ids["email"])
    return ids


def _grant_url(ids):
    return f"/agents/suivi/propositions/{ids['funded']}/convention"


def test_grant_form_prefills_requested_amount(client, world):
    html = client.get(_grant_url(world)).get_data(as_text=True)
    assert 'value="12000,00"' in html


def test_staff_records_grant_with_split(client, post, app, world):
    response = post(_grant_url(world), GRANT_FORM)
    assert response.status_code == 302
    with app.app_context():
        grant = db.session.scalar(sa.select(Grant))
        assert grant.amount_cents == 1_200_000
        assert [(y.year, y.amount_cents) for y in grant.years] == [(2026, 700_000), (2027, 500_000)]


@pytest.mark.parametrize("field,value,message", [
    ("amount", "-50", "montant en euros"),
    ("amount", "9999999999", "montant en euros"),
    ("amount", "douze", "montant en euros"),
    ("decided_on", "2026-13-45", "date valide"),
    ("decided_on", "1850-01-01", "pas plausible"),
    ("reference", "<script>alert(1)</script>", "balises HTML"),
    ("year_amount_2", "4000", "exactement le montant"),
    ("amount", "10000", "raison de l'ajustement"),
    ("year_1", "deux mille", "nombre entier"),
])
def test_grant_bad_input_gets_french_message_and_changes_nothing(client, post, app, world,
                                                                 field, value, message):
    response = post(_grant_url(world), {**GRANT_FORM, field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(Grant) == 0


def test_grant_over_envelope_shows_message(client, post, app, world):
    with app.app_context():
        db.session.get(Round, world["round"]).envelope_cents = 1_000_000
        db.session.commit()
    data = {**GRANT_FORM, "amount": "12000", "year_1": "2026", "year_amount_1": "12000",
            "year_2": "", "year_amount_2": ""}
    response = post(_grant_url(world), data)
    assert "dépasserait l'enveloppe" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Grant) == 0


def _make_grant(app, world):
    with app.app_context():
        grant = grants.record_grant(db.session.get(Proposal, world["funded"]),
                                    db.session.get(User, world["staff"]), reference="R",
                                    decided_on=ff.GRANT_DATE, amount_cents=1_200_000,
                                    adjustment_reason=None, years=[(2026, 1_200_000)])
        db.session.commit()
        return grant.id


def test_payment_planned_then_recorded_as_paid(client, post, app, world):
    grant_id = _make_grant(app, world)
    assert post(f"/agents/conventions/{grant_id}/versements",
                {"planned_on": "2026-04-01", "amount": "6000",
                 "condition": "À la signature"}).status_code == 302
    with app.app_context():
        payment_id = db.session.scalar(sa.select(Payment.id))
    assert post(f"/agents/versements/{payment_id}/effectue",
                {"paid_on": "2026-04-03"}).status_code == 302
    with app.app_context():
        assert db.session.get(Payment, payment_id).paid_on.isoformat() == "2026-04-03"


def test_payment_dated_before_convention_refused(client, post, app, world):
    grant_id = _make_grant(app, world)
    response = post(f"/agents/conventions/{grant_id}/versements",
                    {"planned_on": "2026-01-01", "amount": "6000", "condition": "x"})
    assert response.status_code == 422
    assert "avant la convention" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Payment) == 0


def _report(app, world):
    with app.app_context():
        report = ProgressReport(proposal_id=world["funded"], kind=ReportKind.INTERIM,
                                done="Dix séances", people_reached=20,
                                budget_lines=[ReportBudgetLine(account_code="60", label="Achats",
                                                               planned_cents=100,
                                                               actual_cents=90)])
        db.session.add(report)
        db.session.commit()
        return report.id


def test_staff_acknowledges_report(client, post, app, world):
    report_id = _report(app, world)
    post(f"/agents/bilans/{report_id}/valider")
    with app.app_context():
        assert db.session.get(ProgressReport, report_id).status is ReportStatus.ACKNOWLEDGED


def test_ask_more_needs_a_message(client, post, app, world):
    report_id = _report(app, world)
    response = post(f"/agents/bilans/{report_id}/complement", {"comment": ""})
    assert "Ce champ est obligatoire" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ProgressReport, report_id).status is ReportStatus.SUBMITTED


def _open_evaluation_with_voter(app, world) -> int:
    with app.app_context():
        round_ = db.session.get(Round, world["round"])
        round_.phase = Phase.EVALUATION
        voter = ff.make_voter(round_)
        db.session.commit()
        return voter.id


def test_paper_evaluation_is_recorded_and_marked(client, post, app, world):
    voter_id = _open_evaluation_with_voter(app, world)
    response = post(f"/agents/evaluation/{world['round']}/papier", {
        "voter_id": voter_id, "proposal_id": world["funded"], "answers_need": "4",
        "quality": "3", "reach": "5", "relation": "4", "renew": "yes", "comment": ""})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(sa.select(Evaluation))
        assert item.on_paper and item.recorded_by_id == world["staff"]


def test_paper_evaluation_out_of_range_rating_refused(client, post, app, world):
    voter_id = _open_evaluation_with_voter(app, world)
    response = post(f"/agents/evaluation/{world['round']}/papier", {
        "voter_id": voter_id, "proposal_id": world["funded"], "answers_need": "7",
        "quality": "3", "reach": "5", "relation": "4", "renew": "yes"})
    assert response.status_code == 200
    assert "Choisissez une note de 1 à 5" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Evaluation) == 0


# --- bad input on the forms that post from another page (the generic walker of
# tests/web/test_bad_input.py only posts forms back to the page that shows them) -----------

def _success_events(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == action, AuditEvent.outcome == "success"))


PAYMENT_FORM = {"planned_on": "2026-04-01", "amount": "6000", "condition": "À la signature"}


@pytest.mark.parametrize("field,value,message", [
    ("amount", "-50", "montant en euros"),
    ("amount", "9999999999", "montant en euros"),
    ("amount", "0", "supérieur à zéro"),
    ("amount", "12 000,01", "dépasseraient le montant de la convention"),
    ("planned_on", "2026-13-45", "date valide"),
    ("planned_on", "2026-01-01", "avant la convention"),
    ("condition", "<script>alert(1)</script>", "balises HTML"),
    ("condition", "x" * 201, "200 caractères"),
    ("condition", "", "Ce champ est obligatoire"),
])
def test_payment_bad_input_gets_french_message_and_changes_nothing(client, post, app, world,
                                                                   field, value, message):
    grant_id = _make_grant(app, world)
    response = post(f"/agents/conventions/{grant_id}/versements",
                    {**PAYMENT_FORM, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(Payment) == 0
    assert _success_events(app, "payment.plan") == 0


@pytest.mark.parametrize("value,message", [
    ("2026-01-01", "précède la convention"),
    ("2099-01-01", "futur"),
    ("hier", "date valide"),
    ("", "Ce champ est obligatoire"),
])
def test_paid_bad_date_gets_french_message_and_changes_nothing(client, post, app, world,
                                                               value, message):
    grant_id = _make_grant(app, world)
    post(f"/agents/conventions/{grant_id}/versements", PAYMENT_FORM)
    with app.app_context():
        payment_id = db.session.scalar(sa.select(Payment.id))
    response = post(f"/agents/versements/{payment_id}/effectue", {"paid_on": value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Payment, payment_id).paid_on is None
    assert _success_events(app, "payment.paid") == 0


@pytest.mark.parametrize("value,message", [
    ("<script>alert(1)</script>", "balises HTML"),
    ("x" * 1001, "1000 caractères"),
])
def test_ask_more_bad_message_changes_nothing(client, post, app, world, value, message):
    report_id = _report(app, world)
    response = post(f"/agents/bilans/{report_id}/complement", {"comment": value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ProgressReport, report_id).status is ReportStatus.SUBMITTED


@pytest.mark.parametrize("reason", ["", "<b>hors sujet</b>", "x" * 301])
def test_hide_comment_bad_reason_changes_nothing(client, post, app, world, reason):
    voter_id = _open_evaluation_with_voter(app, world)
    with app.app_context():
        item = evaluation.submit_evaluation(
            db.session.get(Proposal, world["funded"]), db.session.get(User, voter_id),
            evaluation.Answers(4, 4, 4, 4, "Un commentaire", "yes"))
        db.session.commit()
        item_id = item.id
    response = post(f"/agents/evaluations/{item_id}/masquer", {"reason": reason})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Indiquez la raison du masquage" in page
    with app.app_context():
        assert db.session.get(Evaluation, item_id).comment_status is CommentStatus.VISIBLE


@pytest.fixture
def closed_world(app, auth):
    """A closed round whose funded action a voter asked to renew (4, 4, 3, 5)."""
    from pdvsolutions.models import Renew
    from pdvsolutions.services.phases import change_phase

    with app.app_context():
        w = ff.follow_up_world(Phase.EVALUATION)
        voter = ff.make_voter(w["round"])
        staff = factories.make_user(Role.STAFF)
        evaluation.submit_evaluation(w["funded"], voter,
                                     evaluation.Answers(4, 4, 3, 5, "", Renew.YES))
        change_phase(w["round"], Phase.CLOSED, staff)
        db.session.commit()
        ids = {"round": w["round"].id, "territory": w["round"].territory_id,
               "need": w["need"].title, "action": w["funded"].title, "staff": staff.email}
    auth.login(ids["staff"])
    return ids


def test_next_round_shows_last_evaluation_beside_the_needs_it_prefills(client, post, app,
                                                                       closed_world):
    url = f"/agents/territoires/{closed_world['territory']}/prochaine-edition"
    html = client.get(url).get_data(as_text=True)
    # The evaluation of the renewed action, then the need it brings back, beside the form.
    assert closed_world["action"] in html
    assert "Renouvellement demandé par 1 évaluateur(s) sur 1." in html
    assert "besoin 4" in html and "portée 3" in html and "relation 5" in html
    assert closed_world["need"] in html
    assert 'name="title"' in html and 'name="envelope"' in html
    with app.app_context():
        rounds = count(Round)
    response = post(url, {"title": "Appel à solutions 2027", "envelope": "60 000"},
                    token_from=url)
    assert response.status_code == 302
    with app.app_context():
        assert count(Round) == rounds + 1
        new = db.session.scalar(sa.select(Round).order_by(Round.id.desc()))
        assert new.phase is Phase.DRAFT and new.envelope_cents == 6_000_000
        assert list(db.session.scalars(sa.select(Need.title).where(Need.round_id == new.id))
                    ) == [closed_world["need"]]
    # Bad input: a message on the page, nothing created.
    response = post(url, {"title": "", "envelope": "60 000"}, token_from=url)
    assert response.status_code in (200, 422)
    assert "Ce champ est obligatoire." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Round) == rounds + 1
