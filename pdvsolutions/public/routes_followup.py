"""Public follow-up: each funded action with its acknowledged reports, and the evaluation
summary of a closed round. No personal data: reports carry no author, only what was done."""

from flask import abort, render_template
from flask_login import current_user

from ..extensions import db
from ..models import Proposal, Round
from ..rules.phases import Phase
from ..services import evaluation, followup
from . import bp


@bp.get("/appels/<int:round_id>/actions/<int:proposal_id>")
def action_show(round_id: int, proposal_id: int):
    """A funded action of a followed round: its grant, its acknowledged reports."""
    round_ = db.get_or_404(Round, round_id)
    proposal = db.get_or_404(Proposal, proposal_id)
    if round_.phase not in followup.FOLLOWED_PHASES or proposal.round_id != round_.id \
            or proposal.funded_at is None:
        abort(404)
    action = followup.followed_actions(round_, acknowledged_only=True, proposal=proposal)[0]
    return render_template(
        "public/action_show.html", round=round_, action=action,
        committee_member=followup.can_read_all_reports(current_user, round_))


@bp.get("/editions/<int:round_id>/evaluation")
def evaluation_summary(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    if round_.phase is not Phase.CLOSED:
        abort(404)
    report = evaluation.round_report(round_)
    reports = {a.proposal.id: a.reports
               for a in followup.followed_actions(round_, acknowledged_only=True)}
    return render_template("public/evaluation_summary.html", report=report, reports=reports)
