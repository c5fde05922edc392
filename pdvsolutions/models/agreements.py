"""Structural support: multi-year agreements (CPO), their yearly tranches and annual reviews."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.agreements import ReviewDecision, TrancheStatus
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column


class MultiYearAgreement(db.Model):
    """A convention pluriannuelle d'objectifs with one organisation, over 3 to 5 years."""

    __tablename__ = "multi_year_agreements"
    __table_args__ = (
        sa.CheckConstraint("years BETWEEN 3 AND 5", name="years_range"),
        sa.CheckConstraint("yearly_cents > 0", name="yearly_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(60), unique=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    #: Calendar year of the first tranche.
    first_year: Mapped[int]
    years: Mapped[int]
    yearly_cents: Mapped[int] = mapped_column(sa.BigInteger)
    objectives: Mapped[str] = mapped_column(sa.String(4000))
    indicators: Mapped[str] = mapped_column(sa.String(2000))
    signed_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization = relationship("Organization")
    tranches: Mapped[list["AgreementTranche"]] = relationship(
        back_populates="agreement", order_by="AgreementTranche.year_index",
        cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<MultiYearAgreement {self.id} {self.reference}>"

    @property
    def last_year(self) -> int:
        return self.first_year + self.years - 1


class AgreementTranche(db.Model):
    """The tranche of one year of an agreement; released as a grant of instrument agreement."""

    __tablename__ = "agreement_tranches"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "year_index", name="uq_agreement_tranches_year"),
        sa.CheckConstraint("planned_cents > 0", name="planned_positive"),
        sa.CheckConstraint("released_cents >= 0", name="released_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("multi_year_agreements.id"))
    #: 1 for the first year of the agreement.
    year_index: Mapped[int]
    year: Mapped[int] = mapped_column(index=True)
    planned_cents: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[TrancheStatus] = mapped_column(
        enum_column(TrancheStatus), default=TrancheStatus.PLANNED)
    released_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    grant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("grants.id"), unique=True)

    agreement: Mapped[MultiYearAgreement] = relationship(back_populates="tranches")
    review: Mapped["AnnualReview | None"] = relationship(back_populates="tranche")
    grant = relationship("Grant")

    def __repr__(self) -> str:
        return f"<AgreementTranche {self.id} {self.year} {self.status.value}>"


class AnnualReview(db.Model):
    """The review of the past year that decides the release of this tranche."""

    __tablename__ = "annual_reviews"
    __table_args__ = (
        sa.CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        sa.CheckConstraint("decision <> 'reduced' OR reason <> ''", name="reduced_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tranche_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_tranches.id"), unique=True)
    reviewed_on: Mapped[date] = mapped_column(sa.Date)
    indicators_achieved: Mapped[str] = mapped_column(sa.String(2000))
    assessment: Mapped[str] = mapped_column(sa.String(2000))
    decision: Mapped[ReviewDecision] = mapped_column(enum_column(ReviewDecision))
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: Whether the residents' evaluation of the organisation's funded actions (appel à
    #: solutions) was taken into account; None when none was available or staff did not say.
    residents_evaluation_used: Mapped[bool | None]
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tranche: Mapped[AgreementTranche] = relationship(back_populates="review")

    def __repr__(self) -> str:
        return f"<AnnualReview {self.id} {self.decision.value}>"
