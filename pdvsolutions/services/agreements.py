"""Multi-year agreements (CPO): signature, tranches released as grants, annual reviews."""

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..errors import DomainError
from ..extensions import db
from ..models import (
    AgreementTranche,
    AnnualReview,
    Grant,
    Instrument,
    LegalForm,
    MultiYearAgreement,
    Organization,
    OrganizationMember,
    Payment,
    Proposal,
    User,
)
from ..rules import agreements as rules
from ..rules.agreements import ReviewDecision, TrancheStatus
from ..rules.money import MAX_AWARD_CENTS
from ..rules.phases import Phase
from ..timeutil import today
from . import audit, evaluation

DECISION_MESSAGES = {
    "amount_missing": (_l("Indiquez le montant réduit."), "amount"),
    "amount_not_reduced": (_l("Un montant réduit doit être inférieur au montant prévu."), "amount"),
    "reason_missing": (_l("Indiquez la raison de cette décision."), "reason"),
}


def create_agreement(organization: Organization, *, reference: str, title: str, first_year: int,
                     years: int, yearly_cents: int, objectives: str, indicators: str,
                     signed_on: date) -> MultiYearAgreement:
    """Sign a CPO: one tranche per year; the first is released at signature."""
    if not rules.duration_ok(years):
        raise DomainError(_l("Une CPO dure de 3 à 5 ans."), field="years")
    if not 0 < yearly_cents <= MAX_AWARD_CENTS:
        raise DomainError(_l("Le montant annuel doit être compris entre 0,01 € et 10 000 000 €."),
                          field="yearly")
    if not signed_on.year - 1 <= first_year <= signed_on.year + 1:
        raise DomainError(_l("La première année doit être proche de la date de signature."),
                          field="first_year")
    if db.session.scalar(sa.select(MultiYearAgreement.id)
                         .where(MultiYearAgreement.reference == reference)) is not None:
        raise DomainError(_l("Cette référence est déjà utilisée."), field="reference")
    agreement = MultiYearAgreement(
        organization=organization, reference=reference, title=title, first_year=first_year,
        years=years, yearly_cents=yearly_cents, objectives=objectives, indicators=indicators,
        signed_on=signed_on)
    for index in range(1, years + 1):
        agreement.tranches.append(AgreementTranche(
            year_index=index, year=first_year + index - 1, planned_cents=yearly_cents))
    db.session.add(agreement)
    db.session.flush()
    _release(agreement.tranches[0], yearly_cents, TrancheStatus.RELEASED, signed_on)
    audit.record("agreement.signed", agreement, details={
        "organization": organization.id, "years": years, "yearly_cents": yearly_cents})
    return agreement


def _release(tranche: AgreementTranche, amount_cents: int, status: TrancheStatus,
             decided_on: date) -> None:
    """Decide the tranche and, when it pays, create its grant and planned instalment."""
    if not rules.can_release(tranche.year_index, tranche.review is not None):
        raise DomainError(_l("Une tranche n'est débloquée qu'après sa revue annuelle."))
    tranche.status = status
    tranche.released_cents = amount_cents
    if amount_cents > 0:
        agreement = tranche.agreement
        grant = Grant(organization_id=agreement.organization_id, instrument=Instrument.AGREEMENT,
                      reference=f"{agreement.reference}-{tranche.year}"[:60],
                      decided_on=decided_on, amount_cents=amount_cents,
                      purpose=f"{agreement.title} ({tranche.year})"[:500])
        grant.payments.append(Payment(planned_on=decided_on + timedelta(days=30),
                                      amount_cents=amount_cents,
                                      condition=f"tranche {tranche.year}"))
        db.session.add(grant)
        db.session.flush()
        tranche.grant_id = grant.id
    db.session.flush()


def review_tranche(tranche: AgreementTranche, actor: User, *, reviewed_on: date,
                   indicators_achieved: str, assessment: str, decision: ReviewDecision,
                   amount_cents: int | None, reason: str,
                   residents_evaluation_used: bool | None = None) -> AnnualReview:
    """The annual review of the past year decides this tranche: released, reduced, suspended.

    ``residents_evaluation_used`` says whether the residents' evaluation of the
    organisation's funded actions was taken into account; only when there is one.
    """
    if tranche.review is not None or tranche.status is not TrancheStatus.PLANNED:
        raise DomainError(_l("Cette tranche a déjà fait l'objet d'une revue."))
    if not rules.needs_review(tranche.year_index):
        raise DomainError(_l("La première tranche est débloquée à la signature."))
    if reviewed_on < tranche.agreement.signed_on or reviewed_on > today():
        raise DomainError(_l("La date de revue doit suivre la signature et ne pas être future."),
                          field="reviewed_on")
    errors = rules.decision_errors(decision, tranche.planned_cents, amount_cents, reason)
    if errors:
        message, field = DECISION_MESSAGES[errors[0]]
        raise DomainError(message, field=field)
    if residents_evaluation_used is not None and not residents_evaluations(
            tranche.agreement.organization_id):
        raise DomainError(_l("Aucune évaluation des habitants n'existe pour cette structure."),
                          field="residents_evaluation_used")
    released = rules.released_amount(decision, tranche.planned_cents, amount_cents)
    review = AnnualReview(tranche=tranche, reviewed_on=reviewed_on,
                          indicators_achieved=indicators_achieved, assessment=assessment,
                          decision=decision, reason=reason.strip(), amount_cents=released,
                          residents_evaluation_used=residents_evaluation_used,
                          created_by_id=actor.id)
    db.session.add(review)
    db.session.flush()
    _release(tranche, released, TrancheStatus(decision.value), reviewed_on)
    audit.record("agreement.reviewed", tranche.agreement, actor=actor, details={
        "tranche": tranche.year, "decision": decision.value, "released_cents": released,
        "residents_evaluation_used": residents_evaluation_used})
    return review


def dashboard(year: int) -> dict:
    """Share of supported associations under a CPO, and the tranches due in ``year``."""
    supported = set(db.session.scalars(
        sa.select(Grant.organization_id).join(Organization)
        .where(Organization.legal_form == LegalForm.ASSOCIATION)).all())
    under_cpo = set(db.session.scalars(
        sa.select(MultiYearAgreement.organization_id).join(Organization)
        .where(Organization.legal_form == LegalForm.ASSOCIATION,
               MultiYearAgreement.first_year <= year,
               MultiYearAgreement.first_year + MultiYearAgreement.years > year)).all())
    supported |= under_cpo
    due = db.session.scalars(
        sa.select(AgreementTranche).where(AgreementTranche.year == year)
        .options(joinedload(AgreementTranche.agreement).joinedload(MultiYearAgreement.organization))
        .order_by(AgreementTranche.status, AgreementTranche.id)).all()
    return {
        "supported": len(supported), "under_cpo": len(under_cpo),
        "share": rules.share_percent(len(under_cpo), len(supported)),
        "due": due, "due_cents": sum(t.planned_cents for t in due),
    }


def tranche_of_grant(grant: Grant) -> AgreementTranche | None:
    """The CPO tranche a grant releases; None for other grants."""
    if grant.instrument is not Instrument.AGREEMENT:
        return None
    return db.session.scalar(sa.select(AgreementTranche)
                             .where(AgreementTranche.grant_id == grant.id))


def funded_proposals(organization_id: int) -> list[Proposal]:
    """The organisation's proposals funded by the appel à solutions (for the annual review)."""
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.organization_id == organization_id,
                                  Proposal.funded_at.is_not(None))
        .order_by(Proposal.funded_at.desc())))


#: Phases in which a round's funded actions have (or had) their residents' evaluation.
EVALUATED_PHASES = (Phase.EVALUATION, Phase.CLOSED)


def residents_evaluations(organization_id: int) -> list[evaluation.ActionReport]:
    """The residents' evaluation of each action of the organisation funded by an appel à
    solutions whose evaluation has opened, most recent first (for the annual review)."""
    return [evaluation.action_report(proposal)
            for proposal in funded_proposals(organization_id)
            if proposal.round.phase in EVALUATED_PHASES]


def agreement_for_operator(user: User, agreement_id: int) -> MultiYearAgreement | None:
    return db.session.scalar(
        sa.select(MultiYearAgreement).where(
            MultiYearAgreement.id == agreement_id,
            MultiYearAgreement.organization_id.in_(_member_orgs(user))))


def operator_agreements(user: User) -> list[MultiYearAgreement]:
    return list(db.session.scalars(
        sa.select(MultiYearAgreement)
        .where(MultiYearAgreement.organization_id.in_(_member_orgs(user)))
        .order_by(MultiYearAgreement.first_year.desc())))


def _member_orgs(user: User) -> sa.Select:
    return sa.select(OrganizationMember.organization_id).where(
        OrganizationMember.user_id == user.id)
