"""Staff pages of the structural support: multi-year agreements (CPO) and annual reviews."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..errors import DomainError
from ..extensions import db
from ..models import AgreementTranche, MultiYearAgreement, Organization
from ..rules.agreements import ReviewDecision, needs_review
from ..services import agreements
from ..timeutil import today
from . import bp
from .forms_funds import AgreementForm, ReviewForm
from .routes_funds import form_error


@bp.get("/cpo")
def agreement_list():
    year = today().year
    rows = db.session.scalars(
        sa.select(MultiYearAgreement).options(joinedload(MultiYearAgreement.organization))
        .order_by(MultiYearAgreement.id.desc())).all()
    return render_template("staff/agreements/agreement_list.html", agreements=rows, year=year,
                           stats=agreements.dashboard(year))


@bp.route("/cpo/nouvelle", methods=["GET", "POST"])
def agreement_new():
    form = AgreementForm()
    form.organization_id.choices = [
        (row.id, row.name) for row in db.session.execute(
            sa.select(Organization.id, Organization.name).order_by(Organization.name))]
    if not form.is_submitted():
        form.first_year.data = today().year
    if form.validate_on_submit():
        try:
            agreement = agreements.create_agreement(
                db.get_or_404(Organization, form.organization_id.data),
                reference=form.reference.data.strip(), title=form.title.data.strip(),
                first_year=form.first_year.data, years=form.years.data,
                yearly_cents=form.yearly.data, objectives=form.objectives.data.strip(),
                indicators=form.indicators.data.strip(), signed_on=form.signed_on.data)
        except DomainError as error:
            form_error(form, error, "reference")
        else:
            db.session.commit()
            flash(_("Convention pluriannuelle enregistrée ; la première tranche est débloquée."),
                  "success")
            return redirect(url_for("staff.agreement_detail", agreement_id=agreement.id))
    return render_template("staff/agreements/agreement_new.html", form=form)


@bp.get("/cpo/<int:agreement_id>")
def agreement_detail(agreement_id: int):
    agreement = db.get_or_404(MultiYearAgreement, agreement_id)
    return render_template(
        "staff/agreements/agreement_detail.html", agreement=agreement,
        needs_review=needs_review,
        proposals=agreements.funded_proposals(agreement.organization_id))


@bp.route("/cpo/tranches/<int:tranche_id>/revue", methods=["GET", "POST"])
def review_new(tranche_id: int):
    tranche = db.get_or_404(AgreementTranche, tranche_id)
    if tranche.review is not None or not needs_review(tranche.year_index):
        flash(_("Cette tranche ne fait pas l'objet d'une revue."), "warning")
        return redirect(url_for("staff.agreement_detail", agreement_id=tranche.agreement_id))
    evaluations = agreements.residents_evaluations(tranche.agreement.organization_id)
    form = ReviewForm()
    if not evaluations:
        del form.residents_evaluation_used
    if form.validate_on_submit():
        try:
            agreements.review_tranche(
                tranche, current_user, reviewed_on=form.reviewed_on.data,
                indicators_achieved=form.indicators_achieved.data.strip(),
                assessment=form.assessment.data.strip(),
                decision=ReviewDecision(form.decision.data), amount_cents=form.amount.data,
                reason=form.reason.data or "",
                residents_evaluation_used=form.residents_evaluation_answer())
        except DomainError as error:
            form_error(form, error, "decision")
        else:
            db.session.commit()
            flash(_("Revue annuelle enregistrée."), "success")
            return redirect(url_for("staff.agreement_detail", agreement_id=tranche.agreement_id))
    return render_template("staff/agreements/review_new.html", form=form, tranche=tranche,
                           evaluations=evaluations)
