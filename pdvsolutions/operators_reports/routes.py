"""Views of the reports blueprint: an operator's funded actions and their progress reports."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..extensions import db
from ..models import ProgressReport, Proposal, ReportKind
from ..services import followup
from . import bp
from .forms import ACCOUNTS, INDICATOR_ROWS, ReportForm


@bp.get("/")
def report_list():
    proposals = followup.funded_proposals_of(current_user)
    return render_template("reports/list.html", proposals=proposals,
                           reports=followup.reports_by_proposal(proposals))


def _own_proposal(proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    if proposal.funded_at is None:
        abort(404)
    if not followup.can_report_on(current_user, proposal):
        abort(403)
    return proposal


def _rows(form: ReportForm):
    """Indicators and budget lines typed; a list of error messages when a row is half filled."""
    indicators, lines, errors = [], [], []
    for n in range(1, INDICATOR_ROWS + 1):
        values = [form[f"indicator_{n}_{k}"].data for k in ("label", "target", "achieved")]
        if not any(v not in (None, "") for v in values):
            continue
        if any(v in (None, "") for v in values):
            form[f"indicator_{n}_label"].errors.append(
                _("Indiquez l'intitulé, l'objectif et le résultat atteint."))
            errors.append(n)
            continue
        indicators.append(followup.IndicatorInput(values[0].strip(), values[1], values[2],
                                                  (form[f"indicator_{n}_unit"].data or "")))
    for code, label in ACCOUNTS:
        planned, actual = form[f"planned_{code}"].data, form[f"actual_{code}"].data
        if planned is None and actual is None:
            continue
        lines.append(followup.BudgetLineInput(code, str(label), planned or 0, actual or 0))
    return indicators, lines, errors


def _prefill(form: ReportForm, proposal: Proposal) -> None:
    """Start from the proposal: its indicators and its planned charges per account."""
    for n, indicator in enumerate(proposal.indicators[:INDICATOR_ROWS], start=1):
        form[f"indicator_{n}_label"].data = indicator.label
        form[f"indicator_{n}_target"].data = indicator.target
        form[f"indicator_{n}_unit"].data = indicator.unit
    planned: dict[str, int] = {}
    for line in proposal.budget_lines:
        planned[line.account] = planned.get(line.account, 0) + line.amount_cents
    for code, _label in ACCOUNTS:
        if code in planned:
            form[f"planned_{code}"].data = planned[code]


@bp.route("/actions/<int:proposal_id>/nouveau", methods=["GET", "POST"])
def report_new(proposal_id: int):
    proposal = _own_proposal(proposal_id)
    form = ReportForm()
    if not form.is_submitted():
        _prefill(form, proposal)
    if form.validate_on_submit():
        indicators, lines, errors = _rows(form)
        if not errors:
            try:
                report = followup.submit_report(
                    proposal, current_user, kind=ReportKind(form.kind.data), done=form.done.data,
                    people_reached=form.people_reached.data, indicators=indicators,
                    budget_lines=lines)
            except DomainError as error:
                db.session.rollback()
                name = {"budget_lines": "planned_60"}.get(error.field, error.field)
                field = getattr(form, name, None) if name else None
                (field.errors if field is not None else form.done.errors).append(error.message)
            else:
                db.session.commit()
                flash(_("Votre bilan est déposé ; l'équipe de la métropole va l'examiner."),
                      "success")
                return redirect(url_for("reports.report_detail", report_id=report.id))
    return render_template("reports/form.html", form=form, proposal=proposal,
                           accounts=ACCOUNTS, indicator_rows=INDICATOR_ROWS)


@bp.get("/<int:report_id>")
def report_detail(report_id: int):
    report = db.get_or_404(ProgressReport, report_id)
    _own_proposal(report.proposal_id)
    return render_template("reports/detail.html", report=report)
