"""Funds: creation, the ledger balance, and funding decisions that never overspend."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models import (
    DecisionOutcome,
    Fund,
    FundEntry,
    FundEntryKind,
    FundingDecision,
    Grant,
    Instrument,
    Payment,
    Prospect,
    User,
)
from ..rules.money import MAX_AWARD_CENTS
from ..rules.pipeline import ProspectStatus, can_move
from . import audit
from .sourcing import move_prospect


def create_fund(name: str, funder: str, total_cents: int, starts_on: date, ends_on: date) -> Fund:
    """A new fund; the period must be ordered and the amount plausible."""
    if not 0 < total_cents <= MAX_AWARD_CENTS:
        raise DomainError(_l("Le montant doit être compris entre 0,01 € et 10 000 000 €."),
                          field="total")
    if ends_on < starts_on:
        raise DomainError(_l("La fin de la période doit suivre son début."), field="ends_on")
    if db.session.scalar(sa.select(Fund.id).where(Fund.name == name)) is not None:
        raise DomainError(_l("Un fonds porte déjà ce nom."), field="name")
    fund = Fund(name=name, funder=funder, total_cents=total_cents, starts_on=starts_on,
                ends_on=ends_on)
    db.session.add(fund)
    db.session.flush()
    audit.record("fund.created", fund, details={"total_cents": total_cents})
    return fund


#: A ledger entry's effect on what is committed: commitments add, releases give back.
_SIGNED = sa.case(
    (FundEntry.kind == FundEntryKind.COMMITMENT, FundEntry.amount_cents),
    (FundEntry.kind == FundEntryKind.RELEASE, -FundEntry.amount_cents),
    else_=0,
)


def committed_cents(fund_id: int) -> int:
    """Commitments minus releases, read from the ledger."""
    return int(db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(_SIGNED), 0)).where(FundEntry.fund_id == fund_id)))


def paid_cents(fund_id: int) -> int:
    return int(db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(FundEntry.amount_cents), 0))
        .where(FundEntry.fund_id == fund_id, FundEntry.kind == FundEntryKind.PAYMENT)))


def balance_cents(fund: Fund) -> int:
    """What is left to commit: total − commitments (+ releases)."""
    return fund.total_cents - committed_cents(fund.id)


def fund_balances() -> list[tuple[Fund, int]]:
    """Every fund with its balance, for the pages where a decision is taken (one query)."""
    committed = (sa.select(FundEntry.fund_id, sa.func.sum(_SIGNED).label("cents"))
                 .group_by(FundEntry.fund_id).subquery())
    rows = db.session.execute(
        sa.select(Fund, sa.func.coalesce(committed.c.cents, 0))
        .outerjoin(committed, committed.c.fund_id == Fund.id).order_by(Fund.name))
    return [(fund, fund.total_cents - int(cents)) for fund, cents in rows]


def fund_of_grant(grant: Grant) -> Fund | None:
    """The fund a grant is paid from (its commitment in the ledger); None for other grants."""
    if grant.instrument is not Instrument.FUND:
        return None
    return db.session.scalar(
        sa.select(Fund).join(FundEntry, FundEntry.fund_id == Fund.id)
        .where(FundEntry.grant_id == grant.id, FundEntry.kind == FundEntryKind.COMMITMENT))


def record_payment_entry(payment: Payment, actor: User) -> FundEntry | None:
    """Write the ledger line of an instalment paid on a fund's grant (None for other grants).

    Called when staff record the instalment as paid (``grants.record_paid``): a payment does
    not change the balance, which the commitment already lowered.
    """
    fund = fund_of_grant(payment.grant)
    if fund is None:
        return None
    entry = FundEntry(fund=fund, kind=FundEntryKind.PAYMENT, amount_cents=payment.amount_cents,
                      grant_id=payment.grant_id, payment_id=payment.id,
                      label=payment.grant.organization.name[:200], created_by_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class GrantLedger:
    """One grant paid from a fund: what the ledger commits to it and what it has paid."""

    grant: Grant
    committed_cents: int
    paid_cents: int

    @property
    def to_pay_cents(self) -> int:
        return self.committed_cents - self.paid_cents


def grants_ledger(fund: Fund) -> list[GrantLedger]:
    """The fund's grants with their commitments and payments, read from the ledger."""
    rows: dict[int, list] = {}
    signs = {FundEntryKind.COMMITMENT: (1, 0), FundEntryKind.RELEASE: (-1, 0),
             FundEntryKind.PAYMENT: (0, 1)}
    for entry in fund.entries:
        if entry.grant_id is None:
            continue
        row = rows.setdefault(entry.grant_id, [entry.grant, 0, 0])
        committed, paid = signs[entry.kind]
        row[1] += committed * entry.amount_cents
        row[2] += paid * entry.amount_cents
    return [GrantLedger(*row) for row in rows.values()]


def _lock_fund(fund_id: int) -> Fund:
    """Lock the fund's row until commit, so two decisions cannot both spend the same balance.

    PostgreSQL: SELECT … FOR UPDATE; the second transaction waits, then reads the first one's
    commitment (READ COMMITTED) when it recomputes the balance. SQLite serialises writers.
    """
    fund = db.session.scalar(
        sa.select(Fund).where(Fund.id == fund_id).with_for_update()
        .execution_options(populate_existing=True))
    if fund is None:
        raise DomainError(_l("Ce fonds n'existe pas."), field="fund_id")
    return fund


def decide_funding(prospect: Prospect, actor: User, *, fund_id: int, outcome: DecisionOutcome,
                   committee: str, decided_on: date, amount_cents: int, reason: str
                   ) -> FundingDecision:
    """Record the committee's decision after the pitch; funded creates a grant on the fund.

    The prospect's row is locked and re-read first: two staff members deciding on the same
    prospect at once would otherwise both see it pitched and fund it twice (PostgreSQL
    ``FOR UPDATE``; the second decision then finds it decided and is refused).
    """
    target = (ProspectStatus.FUNDED if outcome is DecisionOutcome.FUNDED
              else ProspectStatus.DECLINED)
    db.session.scalar(sa.select(Prospect).where(Prospect.id == prospect.id).with_for_update()
                      .execution_options(populate_existing=True))
    if prospect.status in (ProspectStatus.FUNDED, ProspectStatus.DECLINED):
        raise DomainError(_l("Une décision est déjà enregistrée pour cette structure."))
    if not can_move(prospect.status, target):
        raise DomainError(_l("Une décision ne peut être prise qu'après le pitch."))
    if outcome is DecisionOutcome.FUNDED and not 0 < amount_cents <= MAX_AWARD_CENTS:
        raise DomainError(_l("Indiquez un montant positif, au plus 10 000 000 €."),
                          field="amount")
    if outcome is DecisionOutcome.DECLINED:
        amount_cents = 0
    fund = _lock_fund(fund_id)
    if decided_on < prospect.sprint.starts_on:
        raise DomainError(_l("La décision ne peut pas précéder le début du sprint."),
                          field="decided_on")
    grant = None
    if outcome is DecisionOutcome.FUNDED:
        balance = balance_cents(fund)
        if amount_cents > balance:
            raise DomainError(
                _l("Solde insuffisant : il reste %(balance)s sur le fonds « %(fund)s ».",
                   balance=_format(balance), fund=fund.name), field="amount")
        grant = Grant(organization_id=prospect.organization_id, instrument=Instrument.FUND,
                      reference=f"FONDS-{fund.id}-{prospect.id}", decided_on=decided_on,
                      amount_cents=amount_cents, purpose=prospect.challenge.title[:500])
        grant.payments.append(Payment(planned_on=decided_on + timedelta(days=30),
                                      amount_cents=amount_cents,
                                      condition="à la signature de la convention"))
        db.session.add(grant)
        db.session.flush()
        db.session.add(FundEntry(fund=fund, kind=FundEntryKind.COMMITMENT,
                                 amount_cents=amount_cents, grant_id=grant.id,
                                 label=prospect.organization.name[:200],
                                 created_by_id=actor.id))
    decision = FundingDecision(prospect=prospect, fund=fund, committee=committee,
                               decided_on=decided_on, outcome=outcome, grant=grant,
                               amount_cents=amount_cents, reason=reason, created_by_id=actor.id)
    db.session.add(decision)
    db.session.flush()
    move_prospect(prospect, target)
    audit.record("funding.decided", decision, details={
        "prospect": prospect.id, "fund": fund.id, "outcome": outcome.value,
        "amount_cents": amount_cents})
    return decision


def _format(cents: int) -> str:
    from ..i18n import euros

    return euros(cents)
