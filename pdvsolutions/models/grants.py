"""Grants (conventions) and their payments, for rounds, funds and multi-year agreements."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column


class Instrument(enum.StrEnum):
    ROUND = "round"
    FUND = "fund"
    AGREEMENT = "agreement"


class Grant(db.Model):
    __tablename__ = "grants"
    __table_args__ = (sa.CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    instrument: Mapped[Instrument] = mapped_column(enum_column(Instrument))
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    #: The funded proposal (one grant per proposal).
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"), unique=True)
    #: Reference of the convention or decision (référence de la décision).
    reference: Mapped[str] = mapped_column(sa.String(60))
    decided_on: Mapped[date] = mapped_column(sa.Date)
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)
    purpose: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Why the amount differs from the amount requested (required when it does).
    adjustment_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organization = relationship("Organization")
    round = relationship("Round")
    proposal = relationship("Proposal")
    payments: Mapped[list["Payment"]] = relationship(
        back_populates="grant", order_by="Payment.planned_on"
    )
    years: Mapped[list["GrantYear"]] = relationship(
        back_populates="grant", order_by="GrantYear.year", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Grant {self.id} {self.instrument.value} {self.amount_cents}>"

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments if p.paid_on is not None)

    @property
    def planned_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments)


class GrantYear(db.Model):
    """The part of a multi-year grant that falls on one budget year."""

    __tablename__ = "grant_years"
    __table_args__ = (
        sa.UniqueConstraint("grant_id", "year", name="uq_grant_years_grant_year"),
        sa.CheckConstraint("amount_cents > 0", name="amount_positive"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grants.id"), index=True)
    year: Mapped[int] = mapped_column()
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)

    grant: Mapped[Grant] = relationship(back_populates="years")

    def __repr__(self) -> str:
        return f"<GrantYear grant={self.grant_id} {self.year} {self.amount_cents}>"


class Payment(db.Model):
    """One planned instalment of a grant; ``paid_on`` is set when the money left."""

    __tablename__ = "payments"
    __table_args__ = (sa.CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grants.id"), index=True)
    planned_on: Mapped[date] = mapped_column(sa.Date)
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)
    #: Condition of the instalment ("à la signature", "sur bilan intermédiaire").
    condition: Mapped[str] = mapped_column(sa.String(200), default="")
    paid_on: Mapped[date | None] = mapped_column(sa.Date)
    #: Staff member who recorded the payment as made.
    paid_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    grant: Mapped[Grant] = relationship(back_populates="payments")

    def __repr__(self) -> str:
        return f"<Payment {self.id} grant={self.grant_id}>"
