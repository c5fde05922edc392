"""Staff views of the follow-up: grants and payments, reports, evaluation, closing the loop."""

import csv
import io

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..auth.forms import EmptyForm
from ..errors import DomainError
from ..extensions import db
from ..models import (
    Evaluation,
    Grant,
    Payment,
    ProgressReport,
    Proposal,
    ReportStatus,
    Round,
    SignIn,
    Territory,
    User,
)
from ..rules import evaluation as rules
from ..rules.phases import Phase
from ..services import agreements, evaluation, followup, funds, grants
from ..services.phases import change_phase
from . import bp
from .forms_followup import (
    GrantForm,
    HideForm,
    MoreForm,
    NextRoundForm,
    PaidForm,
    PaperEvaluationForm,
    PaymentForm,
    PhaseForm,
    grant_years,
)

FOLLOWUP_PHASES = (Phase.FOLLOW_UP, Phase.EVALUATION, Phase.CLOSED)
#: The phase a staff member may move a round to from the follow-up screens.
NEXT_PHASE = {Phase.FOLLOW_UP: Phase.EVALUATION, Phase.EVALUATION: Phase.CLOSED}


def _followup_round(round_id: int) -> Round:
    round_ = db.get_or_404(Round, round_id)
    if round_.phase not in FOLLOWUP_PHASES:
        abort(404)
    return round_


def _form_error(form, error: DomainError, default: str | None = None) -> None:
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is None and default:
        field = getattr(form, default)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(str(error.message), "error")


@bp.get("/suivi")
def followup_round_list():
    rounds = db.session.scalars(sa.select(Round).where(Round.phase.in_(FOLLOWUP_PHASES))
                                .order_by(Round.created_at.desc())).all()
    territories = db.session.scalars(sa.select(Territory).order_by(Territory.name)).all()
    return render_template("staff/followup/round_list.html", rounds=rounds,
                           territories=territories)


@bp.get("/suivi/<int:round_id>")
def followup_round(round_id: int):
    round_ = _followup_round(round_id)
    proposals = grants.funded_proposals(round_)
    grant_by_proposal = {g.proposal_id: g for g in db.session.scalars(
        sa.select(Grant).where(Grant.round_id == round_.id))}
    reports = db.session.scalars(
        sa.select(ProgressReport).join(Proposal, Proposal.id == ProgressReport.proposal_id)
        .where(Proposal.round_id == round_.id).options(joinedload(ProgressReport.proposal))
        .order_by(ProgressReport.submitted_at.desc())).all()
    return render_template(
        "staff/followup/round.html", round=round_, proposals=proposals,
        grant_by_proposal=grant_by_proposal, reports=reports, totals=grants.totals(round_),
        next_phase=NEXT_PHASE.get(round_.phase), phase_form=PhaseForm(),
        report=evaluation.round_report(round_) if round_.phase is not Phase.FOLLOW_UP else None)


@bp.post("/suivi/<int:round_id>/phase")
def followup_phase(round_id: int):
    round_ = _followup_round(round_id)
    form = PhaseForm()
    target = NEXT_PHASE.get(round_.phase)
    if not form.validate_on_submit() or target is None or form.target.data != target.value:
        flash(_("Cette étape n'est pas possible pour cette édition."), "error")
        return redirect(url_for("staff.followup_round", round_id=round_.id))
    try:
        change_phase(round_, target, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("L'évaluation est ouverte.") if target is Phase.EVALUATION
              else _("L'édition est close : le rapport d'évaluation est publié."), "success")
    return redirect(url_for("staff.followup_round", round_id=round_.id))


@bp.route("/suivi/propositions/<int:proposal_id>/convention", methods=["GET", "POST"])
def grant_new(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    if proposal.funded_at is None:
        abort(404)
    existing = grants.grant_for(proposal)
    if existing is not None:
        return redirect(url_for("staff.grant_detail", grant_id=existing.id))
    form = GrantForm()
    if not form.is_submitted():
        form.amount.data = proposal.requested_cents
    if form.validate_on_submit():
        years = grant_years(form)
        if years is None:
            form.year_1.errors = [*form.year_1.errors,
                                  _("Chaque année doit avoir un montant, et inversement.")]
        else:
            try:
                grant = grants.record_grant(
                    proposal, current_user, reference=form.reference.data,
                    decided_on=form.decided_on.data, amount_cents=form.amount.data,
                    adjustment_reason=form.adjustment_reason.data, years=years)
            except DomainError as error:
                _form_error(form, error, "amount")
            except IntegrityError:
                db.session.rollback()
                form.reference.errors = [_("Cette action a déjà une convention.")]
            else:
                db.session.commit()
                flash(_("La convention est enregistrée."), "success")
                return redirect(url_for("staff.grant_detail", grant_id=grant.id))
    return render_template("staff/followup/grant_new.html", form=form, proposal=proposal)


def _grant_page(grant: Grant, form=None, paid_form=None, failed_payment=None, status=200):
    """The grant's page, whatever the instrument: a round's, a fund's (with the fund's
    balance) or a CPO tranche's."""
    fund = funds.fund_of_grant(grant)
    return render_template(
        "staff/followup/grant.html", grant=grant, form=form or PaymentForm(),
        paid_form=paid_form or PaidForm(), failed_payment=failed_payment, fund=fund,
        fund_balance=funds.balance_cents(fund) if fund is not None else None,
        tranche=agreements.tranche_of_grant(grant)), status


@bp.get("/conventions/<int:grant_id>")
def grant_detail(grant_id: int):
    return _grant_page(db.get_or_404(Grant, grant_id))


@bp.post("/conventions/<int:grant_id>/versements")
def payment_new(grant_id: int):
    grant = db.get_or_404(Grant, grant_id)
    form = PaymentForm()
    if form.validate_on_submit():
        try:
            grants.plan_payment(grant, current_user, planned_on=form.planned_on.data,
                                amount_cents=form.amount.data, condition=form.condition.data)
        except DomainError as error:
            _form_error(form, error, "amount")
        else:
            db.session.commit()
            flash(_("Le versement est prévu."), "success")
            return redirect(url_for("staff.grant_detail", grant_id=grant.id))
    return _grant_page(grant, form=form, status=422)


@bp.post("/versements/<int:payment_id>/effectue")
def payment_paid(payment_id: int):
    payment = db.get_or_404(Payment, payment_id)
    form = PaidForm()
    if form.validate_on_submit():
        try:
            grants.record_paid(payment, current_user, form.paid_on.data)
        except DomainError as error:
            _form_error(form, error, "paid_on")
        else:
            db.session.commit()
            flash(_("Le versement est enregistré comme effectué."), "success")
            return redirect(url_for("staff.grant_detail", grant_id=payment.grant_id))
    return _grant_page(payment.grant, paid_form=form, failed_payment=payment.id, status=422)


@bp.get("/bilans/<int:report_id>")
def report_review(report_id: int):
    report = db.get_or_404(ProgressReport, report_id)
    return render_template("staff/followup/report.html", report=report, more_form=MoreForm(),
                           ack_form=EmptyForm())


@bp.post("/bilans/<int:report_id>/valider")
def report_acknowledge(report_id: int):
    report = db.get_or_404(ProgressReport, report_id)
    if EmptyForm().validate_on_submit():
        try:
            followup.review_report(report, current_user, ReportStatus.ACKNOWLEDGED)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Le bilan est validé ; il est désormais public."), "success")
    return redirect(url_for("staff.report_review", report_id=report.id))


@bp.post("/bilans/<int:report_id>/complement")
def report_more(report_id: int):
    report = db.get_or_404(ProgressReport, report_id)
    form = MoreForm()
    if form.validate_on_submit():
        try:
            followup.review_report(report, current_user, ReportStatus.MORE_REQUESTED,
                                   form.comment.data)
        except DomainError as error:
            _form_error(form, error, "comment")
        else:
            db.session.commit()
            flash(_("La demande de compléments est envoyée à la structure."), "success")
            return redirect(url_for("staff.report_review", report_id=report.id))
    return render_template("staff/followup/report.html", report=report, more_form=form,
                           ack_form=EmptyForm()), 422


def _voters(round_: Round) -> list[User]:
    return list(db.session.scalars(sa.select(User).join(SignIn, SignIn.user_id == User.id)
                                   .where(SignIn.round_id == round_.id)
                                   .order_by(User.last_name, User.first_name)))


@bp.route("/evaluation/<int:round_id>/papier", methods=["GET", "POST"])
def evaluation_paper_new(round_id: int):
    round_ = _followup_round(round_id)
    if round_.phase is not Phase.EVALUATION:
        abort(404)
    form = PaperEvaluationForm()
    form.voter_id.choices = [(u.id, f"{u.first_name} {u.last_name}") for u in _voters(round_)]
    form.proposal_id.choices = [(p.id, p.title) for p in evaluation.funded(round_)]
    if form.validate_on_submit():
        voter = db.session.get(User, form.voter_id.data)
        proposal = db.session.get(Proposal, form.proposal_id.data)
        try:
            evaluation.submit_evaluation(proposal, voter,
                                         evaluation.Answers(**form.answers_data()),
                                         recorded_by=current_user)
        except DomainError as error:
            _form_error(form, error, "proposal_id")
        except IntegrityError:
            db.session.rollback()
            form.proposal_id.errors = [_("Cette action a déjà été évaluée par cette personne.")]
        else:
            db.session.commit()
            flash(_("L'évaluation papier est enregistrée."), "success")
            return redirect(url_for("staff.evaluation_paper_new", round_id=round_.id))
    return render_template("staff/followup/paper.html", round=round_, form=form)


@bp.post("/evaluation/<int:round_id>/relances")
def evaluation_reminders(round_id: int):
    round_ = _followup_round(round_id)
    if EmptyForm().validate_on_submit():
        try:
            queued, unreachable = evaluation.send_reminders(round_, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(queued)d relance(s) envoyée(s) ; %(none)d votant(s) sans adresse e-mail "
                    "à contacter autrement.", queued=queued, none=unreachable), "success")
    return redirect(url_for("staff.followup_round", round_id=round_.id))


@bp.get("/evaluation/<int:round_id>/commentaires")
def evaluation_comments(round_id: int):
    round_ = _followup_round(round_id)
    items = db.session.scalars(sa.select(Evaluation).where(
        Evaluation.round_id == round_.id, Evaluation.comment != "").order_by(Evaluation.id)).all()
    return render_template("staff/followup/comments.html", round=round_, items=items,
                           form=HideForm())


@bp.post("/evaluations/<int:evaluation_id>/masquer")
def evaluation_comment_hide(evaluation_id: int):
    item = db.get_or_404(Evaluation, evaluation_id)
    form = HideForm()
    if form.validate_on_submit():
        evaluation.hide_comment(item, current_user, form.reason.data)
        db.session.commit()
        flash(_("Le commentaire est masqué."), "success")
    else:
        flash(_("Indiquez la raison du masquage (300 caractères au plus, sans balises)."),
              "error")
    return redirect(url_for("staff.evaluation_comments", round_id=item.round_id))


@bp.get("/evaluation/<int:round_id>/rapport")
def evaluation_report(round_id: int):
    round_ = _followup_round(round_id)
    return render_template("staff/followup/report_print.html",
                           report=evaluation.round_report(round_))


@bp.get("/evaluation/<int:round_id>/rapport.csv")
def evaluation_report_csv(round_id: int):
    round_ = _followup_round(round_id)
    response = make_response(report_csv(evaluation.round_report(round_)))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="evaluation-edition-{round_.id}.csv"')
    return response


def report_csv(report) -> str:
    """The evaluation report as CSV: one line per action, exact values rounded for reading."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["action", "structure", "votants", "reponses", "taux_reponse_pct",
                     *[f"moyenne_{c}" for c in rules.CRITERIA],
                     "renouveler_oui", "renouveler_non", "renouveler_ne_sait_pas"])
    for action in report.actions:
        s = action.summary
        writer.writerow([action.proposal.title, action.proposal.organization.name, s.voters,
                         s.responses, _cell(rules.percent(s.response_rate, 1)),
                         *[_cell(rules.rounded(s.averages[c], 2)) for c in rules.CRITERIA],
                         s.renew["yes"], s.renew["no"], s.renew["dont_know"]])
    return buffer.getvalue()


def _cell(value) -> object:
    """Blank when there is no value; a rate of zero stays 0.0 (a Decimal zero is falsy)."""
    return "" if value is None else value


@bp.route("/territoires/<int:territory_id>/prochaine-edition", methods=["GET", "POST"])
def round_prepare_next(territory_id: int):
    territory = db.get_or_404(Territory, territory_id)
    previous, renewals = evaluation.prefill_next_round(territory)
    if previous is None:
        abort(404)
    form = NextRoundForm()
    if not form.is_submitted():
        form.envelope.data = previous.envelope_cents
    if form.validate_on_submit():
        try:
            new = evaluation.prepare_next_round(territory, current_user, title=form.title.data,
                                                envelope_cents=form.envelope.data)
        except DomainError as error:
            _form_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("La nouvelle édition est créée en brouillon avec %(n)d besoin(s) repris.",
                    n=len(evaluation.origins(new))), "success")
            return redirect(url_for("staff.followup_round_list"))
    return render_template("staff/followup/next_round.html", territory=territory,
                           previous=previous, renewals=renewals, form=form)
