"""Grants of funded proposals, their per-year split, planned instalments and payments."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..errors import DomainError
from ..extensions import db
from ..i18n import euros
from ..models import Grant, GrantYear, Instrument, Organization, Payment, Proposal, Round, User
from ..rules.phases import Phase
from ..timeutil import today
from . import audit, funds

#: Phases during which staff record grants and payments of a round.
GRANT_PHASES = (Phase.FOLLOW_UP, Phase.EVALUATION)


def funded_proposals(round_: Round) -> list[Proposal]:
    """The round's funded proposals, by title."""
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.round_id == round_.id, Proposal.funded_at.is_not(None))
        .options(joinedload(Proposal.organization)).order_by(Proposal.title)))


def grant_for(proposal: Proposal) -> Grant | None:
    return db.session.scalar(sa.select(Grant).where(Grant.proposal_id == proposal.id))


def record_grant(proposal: Proposal, actor: User, *, reference: str, decided_on: date,
                 amount_cents: int, adjustment_reason: str | None,
                 years: list[tuple[int, int]]) -> Grant:
    """Create the grant (convention) of a funded proposal, within the round's envelope.

    The round row is locked first, so that two staff members recording grants at the same
    time cannot both fit in what is left of the envelope (PostgreSQL ``FOR UPDATE``).
    """
    round_ = db.session.scalar(
        sa.select(Round).where(Round.id == proposal.round_id).with_for_update())
    db.session.refresh(round_)
    if proposal.funded_at is None:
        raise DomainError(_l("Cette proposition n'a pas été retenue par le vote."))
    if round_.phase not in GRANT_PHASES:
        raise DomainError(_l("Les conventions s'enregistrent pendant le suivi ou l'évaluation."))
    if grant_for(proposal) is not None:
        raise DomainError(_l("Cette action a déjà une convention."), field="reference")
    if amount_cents <= 0:
        raise DomainError(_l("Le montant doit être supérieur à zéro."), field="amount")
    reason = (adjustment_reason or "").strip() or None
    if amount_cents != proposal.requested_cents and reason is None:
        raise DomainError(_l("Le montant diffère du montant demandé : indiquez la raison de "
                             "l'ajustement."), field="adjustment_reason")
    if decided_on > today():
        raise DomainError(_l("La date de la convention ne peut pas être dans le futur."),
                          field="decided_on")
    _check_years(years, amount_cents, decided_on, round_)
    committed = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Grant.amount_cents), 0))
        .where(Grant.round_id == round_.id))
    if committed + amount_cents > round_.envelope_cents:
        raise DomainError(_l("Cette convention dépasserait l'enveloppe de l'édition : il reste "
                             "%(left)s disponibles.",
                             left=euros(round_.envelope_cents - committed)), field="amount")
    grant = Grant(
        organization_id=proposal.organization_id, instrument=Instrument.ROUND,
        round_id=round_.id, proposal_id=proposal.id, reference=reference.strip(),
        decided_on=decided_on, amount_cents=amount_cents, purpose=proposal.title[:500],
        adjustment_reason=reason, created_by_id=actor.id,
        years=[GrantYear(year=y, amount_cents=c) for y, c in years],
    )
    db.session.add(grant)
    db.session.flush()
    audit.record("grant.create", grant, actor=actor, details={
        "proposal": proposal.id, "amount_cents": amount_cents,
        "requested_cents": proposal.requested_cents, "adjustment_reason": reason,
        "years": {str(y): c for y, c in years}})
    return grant


def _check_years(years, amount_cents, decided_on, round_) -> None:
    if not years:
        raise DomainError(_l("Indiquez la répartition par année."), field="years")
    seen = [y for y, _ in years]
    if len(set(seen)) != len(seen):
        raise DomainError(_l("Chaque année ne peut figurer qu'une fois."), field="years")
    last_year = decided_on.year + (round_.max_duration_months + 11) // 12
    if min(seen) < decided_on.year or max(seen) > last_year:
        raise DomainError(_l("Les années doivent aller de l'année de la convention à "
                             "%(last)s.", last=last_year), field="years")
    if any(c <= 0 for _, c in years) or sum(c for _, c in years) != amount_cents:
        raise DomainError(_l("La répartition par année doit faire exactement le montant de la "
                             "convention."), field="years")


def plan_payment(grant: Grant, actor: User, *, planned_on: date, amount_cents: int,
                 condition: str) -> Payment:
    """Add a planned instalment; the instalments never exceed the grant."""
    db.session.execute(sa.select(Grant.id).where(Grant.id == grant.id).with_for_update())
    db.session.refresh(grant)
    if amount_cents <= 0:
        raise DomainError(_l("Le montant doit être supérieur à zéro."), field="amount")
    if planned_on < grant.decided_on:
        raise DomainError(_l("Un versement ne peut pas être prévu avant la convention."),
                          field="planned_on")
    if grant.planned_cents + amount_cents > grant.amount_cents:
        raise DomainError(_l("Les versements prévus dépasseraient le montant de la convention."),
                          field="amount")
    payment = Payment(grant=grant, planned_on=planned_on, amount_cents=amount_cents,
                      condition=condition.strip())
    db.session.add(payment)
    db.session.flush()
    audit.record("payment.plan", payment, actor=actor,
                 details={"grant": grant.id, "amount_cents": amount_cents,
                          "planned_on": planned_on.isoformat()})
    return payment


def record_paid(payment: Payment, actor: User, paid_on: date) -> Payment:
    """Record that an instalment was paid on ``paid_on`` (and, for a fund's grant, write the
    payment in the fund's ledger)."""
    db.session.execute(sa.select(Payment.id).where(Payment.id == payment.id).with_for_update())
    db.session.refresh(payment)
    if payment.paid_on is not None:
        raise DomainError(_l("Ce versement est déjà enregistré comme effectué."))
    if paid_on > today():
        raise DomainError(_l("La date de versement ne peut pas être dans le futur."),
                          field="paid_on")
    if paid_on < payment.grant.decided_on:
        raise DomainError(_l("La date de versement précède la convention."), field="paid_on")
    payment.paid_on = paid_on
    payment.paid_recorded_by_id = actor.id
    db.session.flush()
    entry = funds.record_payment_entry(payment, actor)
    audit.record("payment.paid", payment, actor=actor,
                 details={"grant": payment.grant_id, "paid_on": paid_on.isoformat(),
                          "amount_cents": payment.amount_cents,
                          "fund": entry.fund_id if entry is not None else None})
    return payment


@dataclass(frozen=True)
class Totals:
    """Granted and paid amounts of a round, per organisation and per budget year."""

    envelope_cents: int
    granted_cents: int
    paid_cents: int
    by_organization: list[tuple[str, int, int]]
    by_year: list[tuple[int, int]]


def totals(round_: Round) -> Totals:
    """Sum the round's grants: overall, per organisation (granted, paid) and per year."""
    paid = (sa.select(Payment.grant_id, sa.func.sum(Payment.amount_cents).label("paid"))
            .where(Payment.paid_on.is_not(None)).group_by(Payment.grant_id).subquery())
    by_org = db.session.execute(
        sa.select(Organization.name, sa.func.sum(Grant.amount_cents),
                  sa.func.coalesce(sa.func.sum(paid.c.paid), 0))
        .join(Grant, Grant.organization_id == Organization.id)
        .outerjoin(paid, paid.c.grant_id == Grant.id)
        .where(Grant.round_id == round_.id)
        .group_by(Organization.id, Organization.name).order_by(Organization.name)).all()
    by_year = db.session.execute(
        sa.select(GrantYear.year, sa.func.sum(GrantYear.amount_cents))
        .join(Grant, Grant.id == GrantYear.grant_id).where(Grant.round_id == round_.id)
        .group_by(GrantYear.year).order_by(GrantYear.year)).all()
    return Totals(
        envelope_cents=round_.envelope_cents,
        granted_cents=sum(row[1] for row in by_org),
        paid_cents=sum(row[2] for row in by_org),
        by_organization=[(name, int(g), int(p)) for name, g, p in by_org],
        by_year=[(int(y), int(c)) for y, c in by_year],
    )
