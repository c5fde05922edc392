"""Staff pages of the anti-appel à projets: funds, challenges, sourcing, sprints, decisions."""

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ..auth.forms import EmptyForm
from ..errors import DomainError
from ..extensions import db
from ..models import (
    Challenge,
    DecisionOutcome,
    Fund,
    LegalForm,
    Organization,
    PartnerKind,
    Prospect,
    Sprint,
    SprintCheckpoint,
)
from ..operators_sprints.forms import JournalForm
from ..operators_sprints.routes import budget_context
from ..rules.pipeline import ProspectStatus, manual_targets
from ..services import funds, sourcing, sprints
from ..services.territories import territory_choices
from . import bp
from .forms_funds import (
    STATUS_LABELS,
    ChallengeForm,
    ContactForm,
    DecisionForm,
    FundForm,
    ProspectForm,
    SprintForm,
    StatusForm,
)


def form_error(form, error: DomainError, default: str) -> None:
    """Roll back and put the domain message on its field (or the default one)."""
    db.session.rollback()
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = list(field.errors) + [error.message]


@bp.get("/fonds")
def fund_list():
    return render_template("staff/funds/fund_list.html", rows=funds.fund_balances())


@bp.route("/fonds/nouveau", methods=["GET", "POST"])
def fund_new():
    form = FundForm()
    if form.validate_on_submit():
        try:
            fund = funds.create_fund(form.name.data.strip(), form.funder.data.strip(),
                                     form.total.data, form.starts_on.data, form.ends_on.data)
        except DomainError as error:
            form_error(form, error, "name")
        else:
            db.session.commit()
            flash(_("Fonds créé."), "success")
            return redirect(url_for("staff.fund_detail", fund_id=fund.id))
    return render_template("staff/funds/fund_new.html", form=form)


@bp.get("/fonds/<int:fund_id>")
def fund_detail(fund_id: int):
    fund = db.get_or_404(Fund, fund_id)
    return render_template("staff/funds/fund_detail.html", fund=fund,
                           balance=funds.balance_cents(fund), paid=funds.paid_cents(fund.id),
                           grants=funds.grants_ledger(fund))


@bp.get("/defis")
def challenge_list():
    rows = db.session.scalars(sa.select(Challenge).options(
        joinedload(Challenge.territory),
        selectinload(Challenge.prospects).joinedload(Prospect.organization))
        .order_by(Challenge.id.desc())).all()
    return render_template("staff/funds/challenge_list.html", challenges=rows,
                           status_labels=STATUS_LABELS)


@bp.route("/defis/nouveau", methods=["GET", "POST"])
def challenge_new():
    form = ChallengeForm()
    form.territory_id.choices = territory_choices()
    if form.validate_on_submit():
        try:
            challenge = sourcing.create_challenge(
                title=form.title.data.strip(), description=form.description.data.strip(),
                territory_id=form.territory_id.data, field=form.field.data.strip(),
                partner_kind=PartnerKind(form.partner_kind.data),
                partner_name=form.partner_name.data.strip())
        except DomainError as error:
            form_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("Défi enregistré."), "success")
            return redirect(url_for("staff.prospect_new", challenge_id=challenge.id))
    return render_template("staff/funds/challenge_new.html", form=form)


@bp.route("/defis/<int:challenge_id>/structures/nouvelle", methods=["GET", "POST"])
def prospect_new(challenge_id: int):
    challenge = db.get_or_404(Challenge, challenge_id)
    form = ProspectForm()
    organizations = db.session.execute(
        sa.select(Organization.id, Organization.name).order_by(Organization.name)).all()
    form.organization_id.choices = [(0, _("— Nouvelle structure —"))] + [
        (row.id, row.name) for row in organizations]
    if form.validate_on_submit():
        try:
            organization = sourcing.find_or_create_organization(
                organization_id=form.organization_id.data or None, name=form.name.data or "",
                siret=form.siret.data or "", legal_form=LegalForm(form.legal_form.data))
            prospect = sourcing.spot_structure(challenge, organization,
                                               (form.notes.data or "").strip())
        except DomainError as error:
            form_error(form, error, "organization_id")
        else:
            db.session.commit()
            flash(_("Structure repérée."), "success")
            return redirect(url_for("staff.prospect_detail", prospect_id=prospect.id))
    return render_template("staff/funds/prospect_new.html", form=form, challenge=challenge)


@bp.get("/reperage")
def prospect_board():
    return render_template("staff/funds/prospect_board.html", columns=sourcing.board(),
                           status_labels=STATUS_LABELS)


@bp.get("/reperage.csv")
def prospect_export():
    response = make_response(sourcing.pipeline_csv())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=reperage.csv"
    response.headers["Cache-Control"] = "no-store"
    return response


def _prospect_page(prospect: Prospect, contact_form=None, status_form=None, status=200):
    status_form = status_form or StatusForm()
    status_form.status.choices = _status_choices(prospect)
    return render_template(
        "staff/funds/prospect_detail.html", prospect=prospect,
        contact_form=contact_form or ContactForm(), status_form=status_form,
        status_labels=STATUS_LABELS), status


def _status_choices(prospect: Prospect):
    return [(s.value, STATUS_LABELS[s]) for s in manual_targets(prospect.status)]


@bp.get("/reperage/<int:prospect_id>")
def prospect_detail(prospect_id: int):
    return _prospect_page(db.get_or_404(Prospect, prospect_id))


@bp.post("/reperage/<int:prospect_id>/contacts")
def contact_add(prospect_id: int):
    prospect = db.get_or_404(Prospect, prospect_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            sourcing.add_contact(prospect, current_user, contacted_on=form.contacted_on.data,
                                 channel=form.channel.data, summary=form.summary.data.strip())
        except DomainError as error:
            form_error(form, error, "summary")
        else:
            db.session.commit()
            flash(_("Contact ajouté à l'historique."), "success")
            return redirect(url_for("staff.prospect_detail", prospect_id=prospect.id))
    return _prospect_page(prospect, contact_form=form, status=400)


@bp.post("/reperage/<int:prospect_id>/statut")
def prospect_status_set(prospect_id: int):
    prospect = db.get_or_404(Prospect, prospect_id)
    form = StatusForm()
    form.status.choices = _status_choices(prospect)
    if form.validate_on_submit():
        try:
            sourcing.set_status_by_hand(prospect, ProspectStatus(form.status.data))
        except DomainError as error:
            form_error(form, error, "status")
        else:
            db.session.commit()
            flash(_("Statut mis à jour."), "success")
            return redirect(url_for("staff.prospect_detail", prospect_id=prospect.id))
    return _prospect_page(prospect, status_form=form, status=400)


@bp.route("/reperage/<int:prospect_id>/sprint", methods=["GET", "POST"])
def sprint_new(prospect_id: int):
    prospect = db.get_or_404(Prospect, prospect_id)
    if prospect.sprint is not None:
        return redirect(url_for("staff.sprint_detail", sprint_id=prospect.sprint.id))
    form = SprintForm()
    if form.validate_on_submit():
        try:
            sprint = sprints.start_sprint(prospect, starts_on=form.starts_on.data,
                                          length_days=form.length_days.data,
                                          coach=form.coach.data.strip())
        except DomainError as error:
            form_error(form, error, "starts_on")
        else:
            db.session.commit()
            flash(_("Sprint lancé."), "success")
            return redirect(url_for("staff.sprint_detail", sprint_id=sprint.id))
    return render_template("staff/funds/sprint_new.html", form=form, prospect=prospect)


def _sprint_page(sprint: Sprint, journal_form=None, status=200):
    return render_template("staff/funds/sprint_detail.html", sprint=sprint,
                           state=sprints.state(sprint), journal_form=journal_form or JournalForm(),
                           done_form=EmptyForm(), **budget_context(sprint)), status


@bp.get("/sprints/<int:sprint_id>")
def sprint_detail(sprint_id: int):
    return _sprint_page(db.get_or_404(Sprint, sprint_id))


@bp.post("/sprints/<int:sprint_id>/journal")
def sprint_journal_add(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    form = JournalForm()
    if form.validate_on_submit():
        sprints.add_journal_entry(sprint, current_user, form.body.data.strip())
        db.session.commit()
        flash(_("Entrée ajoutée au journal."), "success")
        return redirect(url_for("staff.sprint_detail", sprint_id=sprint.id))
    return _sprint_page(sprint, journal_form=form, status=400)


@bp.post("/sprints/<int:sprint_id>/jalons/<int:checkpoint_id>")
def checkpoint_done(sprint_id: int, checkpoint_id: int):
    checkpoint = db.get_or_404(SprintCheckpoint, checkpoint_id)
    if checkpoint.sprint_id != sprint_id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        sprints.mark_checkpoint_done(checkpoint)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Jalon validé."), "success")
    return redirect(url_for("staff.sprint_detail", sprint_id=sprint_id))


@bp.route("/reperage/<int:prospect_id>/decision", methods=["GET", "POST"])
def decision_new(prospect_id: int):
    prospect = db.get_or_404(Prospect, prospect_id)
    if prospect.status is not ProspectStatus.PITCHED:
        flash(_("Une décision ne peut être prise qu'après le pitch."), "warning")
        return redirect(url_for("staff.prospect_detail", prospect_id=prospect.id))
    form = DecisionForm()
    balances = funds.fund_balances()
    form.fund_id.choices = [(fund.id, fund.name) for fund, _balance in balances]
    requested = sprints.budget_summary(prospect.sprint).requested_cents if prospect.sprint else 0
    if not form.is_submitted() and requested > 0:
        form.amount.data = requested
    if form.validate_on_submit():
        try:
            funds.decide_funding(
                prospect, current_user, fund_id=form.fund_id.data,
                outcome=DecisionOutcome(form.outcome.data), committee=form.committee.data.strip(),
                decided_on=form.decided_on.data, amount_cents=form.amount.data or 0,
                reason=form.reason.data.strip())
        except DomainError as error:
            form_error(form, error, "outcome")
            balances = funds.fund_balances()
        else:
            db.session.commit()
            flash(_("Décision enregistrée."), "success")
            return redirect(url_for("staff.prospect_detail", prospect_id=prospect.id))
    return render_template("staff/funds/decision_new.html", form=form, prospect=prospect,
                           balances=balances, requested=requested)
