"""Access table of the follow-up: grants, reports, evaluation, public summary, open data."""

from pdvsolutions.extensions import db
from pdvsolutions.models import ProgressReport, ReportBudgetLine, ReportKind, Role
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation, grants
from pdvsolutions.services.phases import change_phase

from .. import factories
from .. import factories_followup as ff
from .matrix import Case

STAFF = frozenset({"staff"})
EXTRA_PERSONAS = ["voter", "operator_other"]


def extend_world(world) -> None:
    staff = world.users["staff"]
    round_ = ff.make_round(Phase.EVALUATION, title="Édition en évaluation")
    org = ff.make_organization(operator=world.users["operator"])
    funded = ff.make_proposal(round_, org, need=ff.make_need(round_))
    without_grant = ff.make_proposal(round_, org, title="Jardin partagé", requested_cents=50_000)
    voter = ff.make_voter(round_)
    world.add_persona("voter", voter, {"resident"})
    world.add_persona("operator_other", factories.make_user(Role.OPERATOR), {"operator"})
    grant = grants.record_grant(funded, staff, reference="DEL-1", decided_on=ff.GRANT_DATE,
                                amount_cents=funded.requested_cents, adjustment_reason=None,
                                years=[(2026, funded.requested_cents)])
    payment = grants.plan_payment(grant, staff, planned_on=ff.GRANT_DATE, amount_cents=100_000,
                                  condition="À la signature")
    report = ProgressReport(proposal_id=funded.id, kind=ReportKind.INTERIM, done="Dix séances.",
                            people_reached=25, budget_lines=[ReportBudgetLine(
                                account_code="60", label="Achats", planned_cents=1000,
                                actual_cents=900)])
    db.session.add(report)
    other_voter = ff.make_voter(round_)
    item = evaluation.submit_evaluation(funded, other_voter, evaluation.Answers(
        4, 4, 4, 4, "Bien", evaluation.Renew.YES))
    closed = ff.make_round(Phase.EVALUATION, title="Édition close")
    closed_funded = ff.make_proposal(closed, org, title="Fête de quartier")
    evaluation.submit_evaluation(closed_funded, ff.make_voter(closed), evaluation.Answers(
        5, 5, 5, 5, "", evaluation.Renew.YES))
    change_phase(closed, Phase.CLOSED, staff)
    db.session.flush()
    world.objects.update(fu_round=round_, fu_funded=funded, fu_without_grant=without_grant,
                         fu_grant=grant, fu_payment=payment, fu_report=report, fu_eval=item,
                         fu_closed=closed)


def _round(w):
    return w["fu_round"].id


CASES = [
    Case("staff.followup_round_list", "/agents/suivi", allowed=STAFF),
    Case("staff.followup_round", lambda w: f"/agents/suivi/{_round(w)}", allowed=STAFF),
    Case("staff.followup_phase", lambda w: f"/agents/suivi/{_round(w)}/phase", method="POST",
         allowed=STAFF, ok=302, data={"target": "closed"}),
    Case("staff.grant_new",
         lambda w: f"/agents/suivi/propositions/{w['fu_without_grant'].id}/convention",
         allowed=STAFF),
    Case("staff.grant_detail", lambda w: f"/agents/conventions/{w['fu_grant'].id}",
         allowed=STAFF),
    Case("staff.payment_new", lambda w: f"/agents/conventions/{w['fu_grant'].id}/versements",
         method="POST", allowed=STAFF, ok=302,
         data={"planned_on": "2026-06-01", "amount": "1 000,00", "condition": "Sur bilan"}),
    Case("staff.payment_paid", lambda w: f"/agents/versements/{w['fu_payment'].id}/effectue",
         method="POST", allowed=STAFF, ok=302, data={"paid_on": "2026-03-10"}),
    Case("staff.report_review", lambda w: f"/agents/bilans/{w['fu_report'].id}", allowed=STAFF),
    Case("staff.report_acknowledge", lambda w: f"/agents/bilans/{w['fu_report'].id}/valider",
         method="POST", allowed=STAFF, ok=302),
    Case("staff.report_more", lambda w: f"/agents/bilans/{w['fu_report'].id}/complement",
         method="POST", allowed=STAFF, ok=302, data={"comment": "Joindre les factures."}),
    Case("staff.evaluation_paper_new", lambda w: f"/agents/evaluation/{_round(w)}/papier",
         allowed=STAFF),
    Case("staff.evaluation_reminders", lambda w: f"/agents/evaluation/{_round(w)}/relances",
         method="POST", allowed=STAFF, ok=302),
    Case("staff.evaluation_comments", lambda w: f"/agents/evaluation/{_round(w)}/commentaires",
         allowed=STAFF),
    Case("staff.evaluation_comment_hide",
         lambda w: f"/agents/evaluations/{w['fu_eval'].id}/masquer", method="POST",
         allowed=STAFF, ok=302, data={"reason": "Hors sujet"}),
    Case("staff.evaluation_report", lambda w: f"/agents/evaluation/{_round(w)}/rapport",
         allowed=STAFF),
    Case("staff.evaluation_report_csv", lambda w: f"/agents/evaluation/{_round(w)}/rapport.csv",
         allowed=STAFF),
    Case("staff.round_prepare_next",
         lambda w: f"/agents/territoires/{w['fu_closed'].territory_id}/prochaine-edition",
         allowed=STAFF),
    Case("evaluation.evaluation_list", lambda w: f"/evaluation/{_round(w)}", allowed={"voter"}),
    Case("evaluation.evaluation_new",
         lambda w: f"/evaluation/{_round(w)}/actions/{w['fu_funded'].id}", allowed={"voter"}),
    Case("reports.report_list", "/structures/bilans/", allowed={"operator"}),
    Case("reports.report_new",
         lambda w: f"/structures/bilans/actions/{w['fu_funded'].id}/nouveau",
         allowed={"operator"}, overrides={"operator_other": 403, "operator_funds_other": 403}),
    Case("reports.report_detail", lambda w: f"/structures/bilans/{w['fu_report'].id}",
         allowed={"operator"}, overrides={"operator_other": 403, "operator_funds_other": 403}),
    Case("public.evaluation_summary", lambda w: f"/editions/{w['fu_closed'].id}/evaluation"),
    # A funded action's public page: anyone (acknowledged reports only; tests/web).
    Case("public.action_show",
         lambda w: f"/appels/{_round(w)}/actions/{w['fu_funded'].id}"),
    # Every report sent on the round's actions: its committee only (voter sits on it);
    # members of other rounds' committees and other residents are refused.
    Case("committee.report_list", lambda w: f"/comite/appels/{_round(w)}/bilans",
         allowed={"voter"}),
    Case("public.opendata_index", "/donnees-ouvertes"),
    Case("public.opendata_download", "/donnees-ouvertes/subventions.csv"),
]
