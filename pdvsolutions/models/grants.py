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

    organization = relationship("Organization")
    payments: Mapped[list["Payment"]] = relationship(
        back_populates="grant", order_by="Payment.planned_on"
    )

    def __repr__(self) -> str:
        return f"<Grant {self.id} {self.instrument.value} {self.amount_cents}>"


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

    grant: Mapped[Grant] = relationship(back_populates="payments")

    def __repr__(self) -> str:
        return f"<Payment {self.id} grant={self.grant_id}>"
