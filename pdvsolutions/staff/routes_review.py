"""Staff views of issue 4: verify organisations, review board, decisions on proposals."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..auth.forms import EmptyForm
from ..errors import DomainError
from ..extensions import db
from ..models import Decision, Organization, OrganizationMember, Proposal, Round
from ..operators.forms import (
    ACCOUNT_LABELS,
    DOCUMENT_LABELS,
    FUNDER_STATUS_LABELS,
    FUNDERS,
    LEGAL_FORM_LABELS,
)
from ..operators.routes import send_document
from ..services import organizations as orgs
from ..services import proposals as props
from ..services import review
from . import bp
from .forms_review import DECISION_LABELS, DecisionForm

PARIS = ZoneInfo("Europe/Paris")


@bp.get("/structures")
def organization_list():
    rows = db.session.scalars(sa.select(Organization).options(
        selectinload(Organization.documents)).order_by(
        Organization.verified_at.is_not(None), Organization.name)).all()
    return render_template("staff/review/organization_list.html", organizations=rows)


@bp.get("/structures/<int:org_id>")
def organization_show(org_id: int):
    organization = db.get_or_404(Organization, org_id, options=[
        selectinload(Organization.members).joinedload(OrganizationMember.user)])
    return render_template("staff/review/organization_show.html", organization=organization,
                           form=EmptyForm(), legal_forms=LEGAL_FORM_LABELS,
                           document_labels=DOCUMENT_LABELS)


@bp.post("/structures/<int:org_id>/verifier")
def organization_verify(org_id: int):
    organization = db.get_or_404(Organization, org_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        orgs.verify_organization(organization, current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        flash(_("Structure vérifiée ; ses membres sont prévenus."), "success")
    return redirect(url_for("staff.organization_show", org_id=org_id))


@bp.get("/structures/<int:org_id>/documents/<int:doc_id>")
def organization_document(org_id: int, doc_id: int):
    return send_document(db.get_or_404(Organization, org_id), doc_id)


@bp.get("/instruction")
def review_round_list():
    return render_template("staff/review/round_list.html", rounds=review.rounds_with_proposals())


@bp.get("/instruction/<int:round_id>")
def review_board(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return render_template("staff/review/board.html", round=round_, board=review.board(round_),
                           conflicts=props.round_conflicts(round_))


@bp.route("/instruction/propositions/<int:proposal_id>", methods=["GET", "POST"])
def proposal_review(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    if proposal.status.value == "draft":
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        deadline = None
        if form.deadline.data:
            deadline = datetime.combine(form.deadline.data, time(23, 59), PARIS)
        try:
            review.decide(proposal, current_user, Decision(form.decision.data),
                          form.message.data or "", deadline)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "decision").errors.append(error.message)
            proposal = db.get_or_404(Proposal, proposal_id)
        else:
            flash(_("Décision enregistrée ; l'opérateur est prévenu."), "success")
            return redirect(url_for("staff.review_board", round_id=proposal.round_id))
    conflicted = {org.id for _user, org in props.round_conflicts(proposal.round)}
    return render_template("staff/review/proposal_review.html", proposal=proposal, form=form,
                           summary=props.summary(proposal), labels=ACCOUNT_LABELS,
                           funders=FUNDERS, funder_status=FUNDER_STATUS_LABELS,
                           problems=props.submission_problems(proposal),
                           messages=props.PROBLEM_MESSAGES,
                           conflicted=proposal.organization_id in conflicted,
                           decision_labels=DECISION_LABELS)
