"""Public view of the eligible proposals of a round, once the review is over (no personal data)."""

from flask import abort, render_template

from ..extensions import db
from ..models import Proposal, Round
from ..rules import budget
from ..services import proposals as props
from . import bp


@bp.get("/editions/<int:round_id>/propositions")
def proposal_list(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    if round_.phase not in props.PUBLIC_PHASES:
        abort(404)
    return render_template("public/proposal_list.html", round=round_,
                           proposals=props.public_proposals(round_))


@bp.get("/propositions/<int:proposal_id>")
def proposal_show(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    if not props.is_public(proposal):
        abort(404)
    summary = props.summary(proposal)
    return render_template(
        "public/proposal_show.html", proposal=proposal, summary=summary,
        share=budget.share_percent(proposal.requested_cents, summary.total_cents))
