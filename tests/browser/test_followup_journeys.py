"""Follow-up journeys in a real browser (desktop and phone), with axe-core on every page."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    Evaluation,
    Grant,
    Payment,
    ProgressReport,
    Renew,
    ReportBudgetLine,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    Role,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation

from .. import factories
from .. import factories_followup as ff
from .conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _world(phase=Phase.FOLLOW_UP):
    w = ff.follow_up_world(phase)
    w["staff"] = factories.make_user(Role.STAFF)
    db.session.commit()
    return w


def test_staff_records_grant_and_payment(page, live_server, app_ctx_live):
    w = _world()
    round_id, staff = w["round"].id, w["staff"].email
    login(page, live_server, staff)
    page.goto(live_server(f"/agents/suivi/{round_id}"))
    check_a11y(page)
    page.click("text=Enregistrer la convention de « Cours du soir »")
    page.fill("#reference", "DEL-2026-0412")
    page.fill("#decided_on", "2026-03-02")
    page.fill("#year_1", "2026")
    page.fill("#year_amount_1", "12 000,00")
    check_a11y(page)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "La convention est enregistrée" in page.content()
    check_a11y(page)
    page.fill("#planned_on", "2026-03-15")
    page.fill("#amount", "6000")
    page.fill("#condition", "À la signature")
    page.click("text=Prévoir ce versement")
    page.wait_for_load_state()
    payment_id = db.session.scalar(sa.select(Payment.id))
    page.fill(f"#paid_on-{payment_id}", "2026-03-20")
    page.click("text=Enregistrer le versement")
    page.wait_for_load_state()
    assert "enregistré comme effectué" in page.content()
    check_a11y(page)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Grant.amount_cents)) == 1_200_000
    assert db.session.get(Payment, payment_id).paid_on is not None


def test_operator_posts_report(page, live_server, app_ctx_live):
    w = _world()
    proposal_id, operator = w["funded"].id, w["operator"].email
    login(page, live_server, operator)
    page.goto(live_server("/structures/bilans/"))
    check_a11y(page)
    page.goto(live_server(f"/structures/bilans/actions/{proposal_id}/nouveau"))
    check_a11y(page)
    page.check("#kind-0")
    page.fill("#done", "Douze ateliers de soutien scolaire au centre social.")
    page.fill("#people_reached", "35")
    page.fill("#planned_64", "8 000")
    page.fill("#actual_64", "7 650,50")
    page.click("text=Déposer le bilan")
    page.wait_for_load_state()
    assert "Votre bilan est déposé" in page.content()
    check_a11y(page)
    db.session.expire_all()
    assert db.session.scalar(sa.select(ProgressReport.people_reached)) == 35


def test_voter_evaluates_once_and_non_voter_cannot(page, live_server, app_ctx_live):
    w = _world(Phase.EVALUATION)
    voter = ff.make_voter(w["round"])
    member = ff.make_voter(w["round"], signed=False)
    db.session.add(ProgressReport(
        proposal_id=w["funded"].id, kind=ReportKind.INTERIM, done="Vingt séances tenues.",
        people_reached=40, budget_lines=[ReportBudgetLine(
            account_code="64", label="Personnel", planned_cents=500_000, actual_cents=480_000)]))
    db.session.commit()
    round_id, voter_email, member_email = w["round"].id, voter.email, member.email
    login(page, live_server, voter_email)
    page.goto(live_server(f"/evaluation/{round_id}"))
    check_a11y(page)
    page.click("text=Évaluer « Cours du soir »")
    assert "Vingt séances tenues." in page.content()
    check_a11y(page)
    for field in ("answers_need", "quality", "reach", "relation"):
        page.check(f"#{field}-3")
    page.check("#renew-0")
    page.fill("#comment", "Mon fils a repris confiance.")
    page.click("text=Envoyer mon évaluation")
    page.wait_for_load_state()
    assert "votre évaluation est enregistrée" in page.content()
    assert "évaluée, merci" in page.content()
    page.goto(live_server(f"/evaluation/{round_id}/actions/{w['funded'].id}"))
    assert "déjà évalué cette action" in page.content()
    check_a11y(page)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Evaluation.id))) == 1
    page.click("header button:has-text('Se déconnecter')")
    login(page, live_server, member_email)
    page.goto(live_server(f"/evaluation/{round_id}"))
    assert "Vous n'avez pas voté" in page.content()
    check_a11y(page)


def test_staff_publishes_report_and_visitor_downloads_scdl(page, live_server, app_ctx_live):
    w = _world(Phase.EVALUATION)
    voter = ff.make_voter(w["round"])
    evaluation.submit_evaluation(w["funded"], voter, evaluation.Answers(
        4, 5, 3, 4, "Très bien", Renew.YES))
    db.session.commit()
    round_id, staff = w["round"].id, w["staff"].email
    login(page, live_server, staff)
    page.goto(live_server(f"/agents/evaluation/{round_id}/rapport"))
    check_a11y(page)
    page.goto(live_server(f"/agents/suivi/{round_id}"))
    page.click("text=Clore l'édition et publier le rapport")
    page.wait_for_load_state()
    assert "le rapport d'évaluation est publié" in page.content()
    check_a11y(page)
    page.click("header button:has-text('Se déconnecter')")
    page.goto(live_server(f"/editions/{round_id}/evaluation"))
    assert "Très bien" in page.content()
    check_a11y(page)
    page.goto(live_server("/donnees-ouvertes"))
    check_a11y(page)
    with page.expect_download() as info:
        page.click("text=Subventions (SCDL 2.1.1) (CSV)")
    path = info.value.path()
    with open(path, encoding="utf-8") as handle:
        assert handle.readline().startswith("nomAttribuant,idAttribuant,dateConvention")


def _report(proposal, done, operator):
    report = ProgressReport(
        proposal_id=proposal.id, kind=ReportKind.INTERIM, done=done, people_reached=35,
        submitted_by_id=operator.id,
        indicators=[ReportIndicator(label="Collégiens accompagnés", target=60, achieved=42,
                                    unit="jeunes")],
        budget_lines=[ReportBudgetLine(account_code="64", label="Charges de personnel",
                                       planned_cents=800_000, actual_cents=765_050)])
    db.session.add(report)
    db.session.flush()
    return report


def test_acknowledged_report_becomes_public_and_committee_reads_every_report(
        page, live_server, app_ctx_live):
    w = _world()
    member = ff.make_voter(w["round"])
    report = _report(w["funded"], "Vingt séances au centre social.", w["operator"])
    _report(w["funded"], "Sortie au musée en préparation.", w["operator"])
    db.session.commit()
    round_id, report_id = w["round"].id, report.id
    staff, member_email = w["staff"].email, member.email
    logout = "header button:has-text('Se déconnecter')"
    # The committee member reads both reports, neither validated yet.
    login(page, live_server, member_email)
    page.goto(live_server("/comite/"))
    page.click("text=Bilans des actions financées")
    assert "Vingt séances" in page.content() and "Sortie au musée" in page.content()
    assert "Statut : à examiner" in page.content()
    check_a11y(page)
    page.click(logout)
    # The public sees the action, no report yet.
    page.goto(live_server(f"/appels/{round_id}"))
    check_a11y(page)
    page.click("text=Cours du soir")
    assert "Aucun bilan validé pour le moment" in page.content()
    assert "Vingt séances" not in page.content()
    check_a11y(page)
    # Staff validate one report…
    login(page, live_server, staff)
    page.goto(live_server(f"/agents/bilans/{report_id}"))
    page.click("main button:has-text('Valider le bilan')")
    page.wait_for_load_state()
    assert "il est désormais public" in page.content()
    page.click(logout)
    # …which the public now reads, with its indicators and spending; the other stays hidden.
    page.goto(live_server(f"/appels/{round_id}/actions/{w['funded'].id}"))
    content = page.content()
    assert "Vingt séances" in content and "Sortie au musée" not in content
    assert "Collégiens accompagnés" in content and "Charges de personnel" in content
    check_a11y(page)
    db.session.expire_all()
    assert db.session.get(ProgressReport, report_id).status is ReportStatus.ACKNOWLEDGED
