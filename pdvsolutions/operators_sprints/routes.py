"""Views of the operators' sprints: list, sprint page, journal, deliverables, agreements."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.forms import EmptyForm
from ..errors import DomainError
from ..extensions import db
from ..formflow import commit_or_show
from ..models import FunderStatus, SprintBudgetLine
from ..operators.forms import ACCOUNT_LABELS, FUNDER_STATUS_LABELS, FUNDERS, BudgetLineForm
from ..services import agreements, sprints
from . import bp
from .forms import DeliverablesForm, JournalForm


def _own_sprint(sprint_id: int):
    """The sprint of one of the operator's organisations; 404 for anything else."""
    sprint = sprints.sprint_for_operator(current_user, sprint_id)
    if sprint is None:
        abort(404)
    return sprint


@bp.get("/")
def sprint_list():
    return render_template("sprints_op/sprint_list.html",
                           sprints=sprints.operator_sprints(current_user),
                           agreements=agreements.operator_agreements(current_user),
                           state=sprints.state)


#: The budget line form shares the deliverables page with the deliverables form.
LINE_PREFIX = "line"


def budget_context(sprint) -> dict:
    """What the prototype's budget table needs (the proposals' macro and labels)."""
    return {"summary": sprints.budget_summary(sprint), "labels": ACCOUNT_LABELS,
            "funders": FUNDERS, "funder_status": FUNDER_STATUS_LABELS}


def _sprint_page(sprint, journal_form=None, status=200):
    return render_template("sprints_op/sprint_detail.html", sprint=sprint,
                           state=sprints.state(sprint),
                           journal_form=journal_form or JournalForm(),
                           **budget_context(sprint)), status


@bp.get("/<int:sprint_id>")
def sprint_detail(sprint_id: int):
    return _sprint_page(_own_sprint(sprint_id))


@bp.post("/<int:sprint_id>/journal")
def journal_add(sprint_id: int):
    sprint = _own_sprint(sprint_id)
    form = JournalForm()
    if form.validate_on_submit():
        sprints.add_journal_entry(sprint, current_user, form.body.data.strip())
        db.session.commit()
        flash(_("Entrée ajoutée au journal."), "success")
        return redirect(url_for("sprints_op.sprint_detail", sprint_id=sprint.id))
    return _sprint_page(sprint, journal_form=form, status=400)


def _deliverables_page(sprint, form=None, line_form=None, budget_error=None, status=200):
    return render_template(
        "sprints_op/deliverables_edit.html", sprint=sprint,
        form=form or DeliverablesForm(obj=sprint),
        line_form=line_form or BudgetLineForm(formdata=None, prefix=LINE_PREFIX), budget_error=budget_error,
        problems=sprints.budget_problems(sprint), messages=sprints.BUDGET_MESSAGES,
        **budget_context(sprint)), status


@bp.route("/<int:sprint_id>/livrables", methods=["GET", "POST"])
def deliverables_edit(sprint_id: int):
    sprint = _own_sprint(sprint_id)
    form = DeliverablesForm()
    if not form.validate_on_submit():
        return _deliverables_page(sprint, form if form.is_submitted() else None)
    try:
        sprints.save_deliverables(sprint, current_user, prototype=form.prototype.data.strip(),
                                  indicators=form.indicators.data.strip())
    except DomainError as error:
        db.session.rollback()
        return _deliverables_page(_own_sprint(sprint_id), form, budget_error=error.message)
    db.session.commit()
    flash(_("Livrables enregistrés."), "success")
    return redirect(url_for("sprints_op.sprint_detail", sprint_id=sprint.id))


@bp.post("/<int:sprint_id>/livrables/budget/lignes")
def budget_line_add(sprint_id: int):
    sprint = _own_sprint(sprint_id)
    form = BudgetLineForm(prefix=LINE_PREFIX)
    if form.validate_on_submit():
        commit_or_show(form, lambda: sprints.add_budget_line(
            sprint, current_user, account=form.account.data, label=form.label.data,
            amount_cents=form.amount.data, funder=form.funder.data or None,
            funder_status=FunderStatus(form.funder_status.data)
            if form.funder_status.data else None))
        if not form.errors:
            flash(_("Ligne ajoutée."), "success")
            return redirect(url_for("sprints_op.deliverables_edit", sprint_id=sprint.id))
    return _deliverables_page(_own_sprint(sprint_id), line_form=form, status=400)


@bp.post("/<int:sprint_id>/livrables/budget/lignes/<int:line_id>/supprimer")
def budget_line_delete(sprint_id: int, line_id: int):
    sprint = _own_sprint(sprint_id)
    line = db.get_or_404(SprintBudgetLine, line_id)
    if line.sprint_id != sprint.id or not EmptyForm().validate_on_submit():
        abort(404)
    try:
        sprints.delete_budget_line(sprint, current_user, line)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Ligne supprimée."), "success")
    return redirect(url_for("sprints_op.deliverables_edit", sprint_id=sprint.id))


@bp.get("/conventions/<int:agreement_id>")
def agreement_detail(agreement_id: int):
    agreement = agreements.agreement_for_operator(current_user, agreement_id)
    if agreement is None:
        abort(404)
    return render_template("sprints_op/agreement_detail.html", agreement=agreement)
