"""A round of the appel à solutions: territory, envelope, fields, planned dates, voting rule."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.phases import Phase
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column


class BallotType(enum.StrEnum):
    APPROVAL = "approval"
    #: Approval with the budget limit: the approved costs must fit the envelope.
    KNAPSACK = "knapsack"
    CUMULATIVE = "cumulative"


class TallyRule(enum.StrEnum):
    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"


class Completion(enum.StrEnum):
    """How equal shares spends what it leaves over (shared/pabulib/README.md, "MES Add1")."""

    NONE = "none"
    #: Raise every voter's share one euro at a time while the outcome fits the envelope (Assen).
    ADD1 = "add1"
    #: Add1, then keep greedy instead if strictly more voters prefer it (Wieliczka).
    ADD1_COMPARISON = "add1-comparison"


class Round(db.Model):
    __tablename__ = "rounds"
    __table_args__ = (
        sa.CheckConstraint("envelope_cents >= 0", name="envelope_not_negative"),
        sa.CheckConstraint("max_duration_months BETWEEN 1 AND 60", name="duration_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    presentation: Mapped[str] = mapped_column(sa.Text, default="")
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), default=Phase.DRAFT, index=True)
    #: Operating-budget envelope in euro cents.
    envelope_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: Longest action this round funds (operating actions may last up to 3 years).
    max_duration_months: Mapped[int] = mapped_column(default=36)
    #: Deadline for proposals (end of the call), UTC.
    call_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ballot_type: Mapped[BallotType] = mapped_column(
        enum_column(BallotType), default=BallotType.APPROVAL
    )
    min_approvals: Mapped[int | None] = mapped_column()
    max_approvals: Mapped[int | None] = mapped_column()
    #: Points each voter spreads in a cumulative ballot.
    points_total: Mapped[int | None] = mapped_column()
    tally_rule: Mapped[TallyRule] = mapped_column(enum_column(TallyRule), default=TallyRule.GREEDY)
    #: Completion of equal shares (ignored by greedy); Add1 as the cities using the method do.
    completion: Mapped[Completion] = mapped_column(
        enum_column(Completion), default=Completion.ADD1, server_default=Completion.ADD1.value
    )
    #: Every resident account of the territory votes, instead of the committee.
    open_vote: Mapped[bool] = mapped_column(default=False)
    #: When staff published the tally (results phase); counts stay hidden until then.
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    territory = relationship("Territory")
    fields: Mapped[list["RoundField"]] = relationship(
        back_populates="round", order_by="RoundField.position", cascade="all, delete-orphan"
    )
    milestones: Mapped[list["RoundMilestone"]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    year_splits: Mapped[list["RoundYearSplit"]] = relationship(
        back_populates="round", order_by="RoundYearSplit.year_index",
        cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.phase.value}>"

    def planned_date(self, phase: Phase) -> date | None:
        return next((m.planned_on for m in self.milestones if m.phase == phase), None)


class RoundField(db.Model):
    """A field (thématique) of a round: education, employment, living environment…"""

    __tablename__ = "round_fields"
    __table_args__ = (sa.UniqueConstraint("round_id", "label", name="uq_round_fields_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="fields")

    def __repr__(self) -> str:
        return f"<RoundField {self.id} {self.label!r}>"


class RoundMilestone(db.Model):
    """The planned start date of one phase of a round (shown on the public timeline)."""

    __tablename__ = "round_milestones"
    __table_args__ = (sa.UniqueConstraint("round_id", "phase", name="uq_round_milestones_phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase))
    planned_on: Mapped[date] = mapped_column(sa.Date)

    round: Mapped[Round] = relationship(back_populates="milestones")

    def __repr__(self) -> str:
        return f"<RoundMilestone {self.round_id} {self.phase.value} {self.planned_on}>"


class RoundYearSplit(db.Model):
    """The share of the envelope spent in year 1, 2 or 3 of a multi-year round."""

    __tablename__ = "round_year_splits"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "year_index", name="uq_round_year_splits_year"),
        sa.CheckConstraint("year_index BETWEEN 1 AND 3", name="year_index_range"),
        sa.CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    #: 1 for the first year of the actions, up to 3.
    year_index: Mapped[int] = mapped_column()
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)

    round: Mapped[Round] = relationship(back_populates="year_splits")

    def __repr__(self) -> str:
        return f"<RoundYearSplit {self.round_id} y{self.year_index} {self.amount_cents}>"
