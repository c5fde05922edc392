"""Views of the operators' sprints: list, sprint page, journal, deliverables, agreements."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..extensions import db
from ..rules.sprint_budget import Line
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


def _sprint_page(sprint, journal_form=None, status=200):
    return render_template("sprints_op/sprint_detail.html", sprint=sprint,
                           state=sprints.state(sprint),
                           journal_form=journal_form or JournalForm()), status


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


def _prefill(form: DeliverablesForm, sprint) -> None:
    form.prototype.data = sprint.prototype
    form.indicators.data = sprint.indicators
    for entry, line in zip(form.lines.entries, sprint.budget_lines, strict=False):
        entry.form.side.data = line.side
        entry.form.account.data = line.account
        entry.form.label.data = line.label
        entry.form.amount.data = f"{line.amount_cents // 100},{line.amount_cents % 100:02d}"


@bp.route("/<int:sprint_id>/livrables", methods=["GET", "POST"])
def deliverables_edit(sprint_id: int):
    sprint = _own_sprint(sprint_id)
    form = DeliverablesForm()
    budget_error = None
    if not form.is_submitted():
        _prefill(form, sprint)
    if form.validate_on_submit():
        lines = [Line(side=e.form.side.data, account=(e.form.account.data or "").strip(),
                      label=(e.form.label.data or "").strip() or "—",
                      amount_cents=e.form.amount.cents or 0)
                 for e in form.lines.entries if not e.form.is_blank()]
        try:
            sprints.save_deliverables(sprint, prototype=form.prototype.data.strip(),
                                      indicators=form.indicators.data.strip(), lines=lines)
        except DomainError as error:
            db.session.rollback()
            budget_error = error.message
        else:
            db.session.commit()
            flash(_("Livrables enregistrés."), "success")
            return redirect(url_for("sprints_op.sprint_detail", sprint_id=sprint.id))
    return render_template("sprints_op/deliverables_edit.html", form=form, sprint=sprint,
                           budget_error=budget_error)


@bp.get("/conventions/<int:agreement_id>")
def agreement_detail(agreement_id: int):
    agreement = agreements.agreement_for_operator(current_user, agreement_id)
    if agreement is None:
        abort(404)
    return render_template("sprints_op/agreement_detail.html", agreement=agreement)
