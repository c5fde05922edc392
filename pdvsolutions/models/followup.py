"""Follow-up of funded actions: progress reports, evaluations by voters, kept outcomes."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column


class ReportKind(enum.StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class ReportStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    MORE_REQUESTED = "more_requested"


class ProgressReport(db.Model):
    """Bilan d'étape or bilan final of a funded action, with its compte rendu financier."""

    __tablename__ = "progress_reports"
    __table_args__ = (sa.CheckConstraint("people_reached >= 0", name="people_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind))
    #: What was done (public once acknowledged: no personal data asked).
    done: Mapped[str] = mapped_column(sa.Text)
    #: Number of people the action reached so far.
    people_reached: Mapped[int] = mapped_column(default=0)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.SUBMITTED
    )
    #: Staff message when more is asked (visible to the operator).
    staff_comment: Mapped[str | None] = mapped_column(sa.String(1000))
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    proposal = relationship("Proposal")
    indicators: Mapped[list["ReportIndicator"]] = relationship(
        back_populates="report", order_by="ReportIndicator.id", cascade="all, delete-orphan"
    )
    budget_lines: Mapped[list["ReportBudgetLine"]] = relationship(
        back_populates="report", order_by="ReportBudgetLine.account_code",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<ProgressReport {self.id} {self.kind.value} {self.status.value}>"


class ReportIndicator(db.Model):
    """An indicator of the action, its target and what was achieved (label stored here)."""

    __tablename__ = "report_indicators"
    __table_args__ = (
        sa.CheckConstraint("target >= 0 AND achieved >= 0", name="values_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_reports.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(160))
    target: Mapped[int] = mapped_column()
    achieved: Mapped[int] = mapped_column()
    #: "jeunes", "ateliers", "%"…
    unit: Mapped[str] = mapped_column(sa.String(40), default="")

    report: Mapped[ProgressReport] = relationship(back_populates="indicators")

    def __repr__(self) -> str:
        return f"<ReportIndicator {self.id} {self.label!r}>"


class ReportBudgetLine(db.Model):
    """One line of the compte rendu financier (CERFA 15059): planned vs actual per account."""

    __tablename__ = "report_budget_lines"
    __table_args__ = (
        sa.CheckConstraint("planned_cents >= 0 AND actual_cents >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_reports.id"), index=True)
    #: Account of the associations' chart of accounts: 60, 61, 62, 63, 64, 65, 86…
    account_code: Mapped[str] = mapped_column(sa.String(4))
    label: Mapped[str] = mapped_column(sa.String(160))
    planned_cents: Mapped[int] = mapped_column(sa.BigInteger)
    actual_cents: Mapped[int] = mapped_column(sa.BigInteger)

    report: Mapped[ProgressReport] = relationship(back_populates="budget_lines")

    def __repr__(self) -> str:
        return f"<ReportBudgetLine {self.id} {self.account_code}>"


class Renew(enum.StrEnum):
    YES = "yes"
    NO = "no"
    DONT_KNOW = "dont_know"


class CommentStatus(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"


class Evaluation(db.Model):
    """A voter's evaluation of a funded action: one per voter and action."""

    __tablename__ = "evaluations"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "user_id", name="uq_evaluations_proposal_user"),
        sa.CheckConstraint(
            "answers_need BETWEEN 1 AND 5 AND quality BETWEEN 1 AND 5 "
            "AND reach BETWEEN 1 AND 5 AND relation BETWEEN 1 AND 5",
            name="ratings_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    #: The voter (a SignIn of the round exists for this account).
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Does it answer the need?
    answers_need: Mapped[int] = mapped_column(sa.SmallInteger)
    #: Quality of the action.
    quality: Mapped[int] = mapped_column(sa.SmallInteger)
    #: Reach in the neighbourhood.
    reach: Mapped[int] = mapped_column(sa.SmallInteger)
    #: Relation with residents.
    relation: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    renew: Mapped[Renew] = mapped_column(enum_column(Renew))
    #: Given on paper and typed in by staff (``recorded_by``).
    on_paper: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    comment_status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.VISIBLE
    )
    comment_hidden_reason: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal = relationship("Proposal")

    def __repr__(self) -> str:
        return f"<Evaluation {self.id} proposal={self.proposal_id}>"


class ActionOutcome(db.Model):
    """What the evaluation of a funded action concluded, kept when its round closed."""

    __tablename__ = "action_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), unique=True)
    voters: Mapped[int] = mapped_column()
    responses: Mapped[int] = mapped_column()
    renew_yes: Mapped[int] = mapped_column()
    renew_no: Mapped[int] = mapped_column()
    renew_dont_know: Mapped[int] = mapped_column()
    #: Sum of each criterion's ratings (averages stay exact: sum / responses).
    sum_answers_need: Mapped[int] = mapped_column()
    sum_quality: Mapped[int] = mapped_column()
    sum_reach: Mapped[int] = mapped_column()
    sum_relation: Mapped[int] = mapped_column()
    #: The evaluators asked to renew it (rules.evaluation.renewed).
    renewed: Mapped[bool] = mapped_column()
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal = relationship("Proposal")

    def __repr__(self) -> str:
        return f"<ActionOutcome proposal={self.proposal_id} renewed={self.renewed}>"


class NeedOrigin(db.Model):
    """A need pre-filled in a new round from a renewed action of the previous one."""

    __tablename__ = "need_origins"

    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id"), primary_key=True)
    previous_round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    previous_proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"))

    def __repr__(self) -> str:
        return f"<NeedOrigin need={self.need_id} proposal={self.previous_proposal_id}>"
