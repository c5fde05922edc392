"""Staff views on rounds: create and edit a draft, move a round to its next phase."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..extensions import db
from ..formflow import commit_or_show
from ..models import BallotType, Completion, Round, TallyRule, Territory
from ..rules.money import parse_euros
from ..rules.phases import Phase, next_phase
from ..services import phases, rounds
from . import bp
from .forms_rounds import (
    BALLOT_LABELS,
    COMPLETION_LABELS,
    TALLY_LABELS,
    PhaseForm,
    RoundForm,
    field_labels,
    planned_dates,
)


@bp.get("/appels")
def round_list():
    rows = db.session.scalars(sa.select(Round).order_by(Round.id.desc())).all()
    return render_template("staff/round_list.html", rounds=rows, labels=rounds.PHASE_LABELS)


def _settings(form: RoundForm) -> rounds.RoundSettings:
    def cents(field):
        return parse_euros(field.data) if field.data else None

    return rounds.RoundSettings(
        territory_id=form.territory_id.data or 0, title=form.title.data.strip(),
        presentation=(form.presentation.data or "").strip(),
        envelope_cents=parse_euros(form.envelope.data),
        max_duration_months=form.max_duration_months.data,
        year_splits=[cents(form.year1), cents(form.year2), cents(form.year3)],
        field_labels=field_labels(form.fields.data), planned=planned_dates(form),
        call_deadline=form.call_deadline.data, ballot_type=BallotType(form.ballot_type.data),
        min_approvals=form.min_approvals.data, max_approvals=form.max_approvals.data,
        points_total=form.points_total.data, tally_rule=TallyRule(form.tally_rule.data),
        completion=Completion(form.completion.data), open_vote=form.open_vote.data)


def _round_form(round_: Round | None) -> RoundForm:
    form = RoundForm()
    form.territory_id.choices = [(0, _("— Choisissez —"))] + [
        (t.id, t.name) for t in db.session.scalars(sa.select(Territory).order_by(Territory.name))]
    if round_ is not None and not form.is_submitted():
        form.process(obj=round_)
        form.envelope.data = f"{round_.envelope_cents / 100:.2f}".replace(".", ",")
        splits = {s.year_index: s.amount_cents for s in round_.year_splits}
        for index in (1, 2, 3):
            if index in splits:
                getattr(form, f"year{index}").data = f"{splits[index] / 100:.2f}".replace(".", ",")
        form.fields.data = "\n".join(f.label for f in round_.fields)
        form.call_deadline.data = rounds.deadline_local_date(round_)
        form.ballot_type.data = round_.ballot_type.value
        form.tally_rule.data = round_.tally_rule.value
        form.completion.data = round_.completion.value
        for milestone in round_.milestones:
            getattr(form, f"date_{milestone.phase.value}").data = milestone.planned_on
    elif round_ is None and not form.is_submitted():
        form.fields.data = "\n".join(rounds.DEFAULT_FIELDS)
    return form


def _save(round_: Round | None):
    form = _round_form(round_)
    if form.validate_on_submit() and (saved := commit_or_show(
            form, lambda: rounds.save_round(round_, current_user, _settings(form)))):
        flash(_("Appel enregistré."), "success")
        return redirect(url_for("staff.round_manage", round_id=saved.id))
    return render_template("staff/round_form.html", form=form, round=round_)


@bp.route("/appels/nouveau", methods=["GET", "POST"])
def round_new():
    return _save(None)


@bp.route("/appels/<int:round_id>/modifier", methods=["GET", "POST"])
def round_edit(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    if round_.phase is not Phase.DRAFT:
        flash(_("Un appel ne se modifie plus une fois sa préparation terminée."), "warning")
        return redirect(url_for("staff.round_manage", round_id=round_.id))
    return _save(round_)


@bp.get("/appels/<int:round_id>")
def round_manage(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return render_template("staff/round_manage.html", round=round_,
                           steps=rounds.timeline(round_), labels=rounds.PHASE_LABELS,
                           target=next_phase(round_.phase),
                           deadline=rounds.deadline_local_date(round_),
                           ballot_labels=BALLOT_LABELS, tally_labels=TALLY_LABELS,
                           completion_labels=COMPLETION_LABELS)


@bp.route("/appels/<int:round_id>/phase", methods=["GET", "POST"])
def round_phase(round_id: int):
    """GET: a confirmation page; POST: move the round to its next phase."""
    round_ = db.get_or_404(Round, round_id)
    target = next_phase(round_.phase)
    if target is None:
        abort(404)
    form = PhaseForm(target=target.value)
    error = None
    if form.validate_on_submit():
        try:
            if form.target.data != target.value:
                raise DomainError(_("L'appel a changé d'étape entre-temps : vérifiez où il en "
                                    "est avant de confirmer."))
            phases.change_phase(round_, target, current_user)
        except DomainError as failure:
            # Keep the audit row of a refused attempt (if any), nothing else changed.
            error = failure.message
            db.session.commit()
        else:
            db.session.commit()
            flash(_("L'appel est passé à l'étape : %(phase)s.",
                    phase=rounds.PHASE_LABELS[target]), "success")
            return redirect(url_for("staff.round_manage", round_id=round_.id))
    elif form.is_submitted():
        error = _("Confirmez le changement d'étape depuis cette page.")
    return render_template("staff/round_phase.html", round=round_, target=target, form=form,
                           error=error, labels=rounds.PHASE_LABELS)
