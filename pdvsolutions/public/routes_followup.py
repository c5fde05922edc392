"""Public evaluation summary of a closed round, with the acknowledged progress reports."""

from flask import abort, render_template

from ..extensions import db
from ..models import Round
from ..rules.phases import Phase
from ..services import evaluation, followup
from . import bp


@bp.get("/editions/<int:round_id>/evaluation")
def evaluation_summary(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    if round_.phase is not Phase.CLOSED:
        abort(404)
    report = evaluation.round_report(round_)
    reports = followup.reports_by_proposal([a.proposal for a in report.actions],
                                           acknowledged_only=True)
    return render_template("public/evaluation_summary.html", report=report, reports=reports)
