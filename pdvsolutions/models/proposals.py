"""Proposals: an organisation's funded action answering one or more retained needs."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules import budget
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column

proposal_needs = sa.Table(
    "proposal_needs",
    db.metadata,
    sa.Column("proposal_id", sa.ForeignKey("proposals.id"), primary_key=True),
    sa.Column("need_id", sa.ForeignKey("needs.id"), primary_key=True),
)


class ProposalStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVISION_REQUESTED = "revision_requested"
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        sa.CheckConstraint("requested_cents >= 0", name="requested_not_negative"),
        sa.CheckConstraint("beneficiaries >= 0", name="beneficiaries_not_negative"),
        sa.Index("ix_proposals_round_status", "round_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus), default=ProposalStatus.DRAFT
    )
    #: Amount asked from the round, computed from the budget lines (never typed).
    requested_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the round's published result funds this proposal (the vote's outcome).
    funded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Project sheet (fiche action of the CERFA 12156).
    objectives: Mapped[str] = mapped_column(sa.Text, default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    target_public: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Expected number of people reached.
    beneficiaries: Mapped[int] = mapped_column(default=0)
    #: QPV codes concerned, space-separated (all within the round's territory).
    qpv_codes: Mapped[str] = mapped_column(sa.String(200), default="")
    start_on: Mapped[date | None] = mapped_column(sa.Date)
    end_on: Mapped[date | None] = mapped_column(sa.Date)
    #: Staff and volunteers mobilised (moyens humains).
    human_means: Mapped[str] = mapped_column(sa.Text, default="")
    # Sworn statement (attestation sur l'honneur), filled at submission.
    signer_name: Mapped[str | None] = mapped_column(sa.String(120))
    signer_role: Mapped[str | None] = mapped_column(sa.String(80))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Number of revisions staff asked for; the operator may resubmit once.
    revisions_requested: Mapped[int] = mapped_column(default=0)
    #: Until when the operator may edit a proposal sent back for revision.
    revision_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round = relationship("Round")
    organization = relationship("Organization")
    needs = relationship("Need", secondary=proposal_needs)
    budget_lines: Mapped[list["BudgetLine"]] = relationship(
        back_populates="proposal", order_by="(BudgetLine.account, BudgetLine.id)",
        cascade="all, delete-orphan",
    )
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="proposal", order_by="Indicator.id", cascade="all, delete-orphan"
    )
    years: Mapped[list["ProposalYear"]] = relationship(
        back_populates="proposal", order_by="ProposalYear.year_index",
        cascade="all, delete-orphan",
    )
    decisions: Mapped[list["ReviewDecision"]] = relationship(
        back_populates="proposal", order_by="ReviewDecision.id", cascade="all, delete-orphan"
    )
    versions: Mapped[list["ProposalVersion"]] = relationship(
        back_populates="proposal", order_by="ProposalVersion.number",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status.value}>"

    @property
    def last_decision(self) -> "ReviewDecision | None":
        return self.decisions[-1] if self.decisions else None


class FunderStatus(enum.StrEnum):
    REQUESTED = "requested"
    OBTAINED = "obtained"


#: The associations' chart of accounts (rules.budget.ALL_ACCOUNTS), as a CHECK.
ACCOUNT_KNOWN = "account IN ({})".format(",".join(f"'{a}'" for a in budget.ALL_ACCOUNTS))


def budget_line_checks() -> tuple[sa.CheckConstraint, ...]:
    """The CHECK constraints of every table of budget lines (a new object per table)."""
    return (sa.CheckConstraint("amount_cents > 0", name="amount_positive"),
            sa.CheckConstraint(ACCOUNT_KNOWN, name="account_known"))


class BudgetLineFields:
    """The columns of a budget line, shared by proposals and sprint deliverables: the same
    form, the same chart of accounts and the same rules (``rules.budget``) fill both."""

    #: Two-digit account of the plan comptable des associations.
    account: Mapped[str] = mapped_column(sa.String(2))
    label: Mapped[str] = mapped_column(sa.String(160))
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)
    #: For 74 lines: the co-funder (État, région, CAF…) and whether it is obtained.
    funder: Mapped[str | None] = mapped_column(sa.String(40))
    funder_status: Mapped[FunderStatus | None] = mapped_column(enum_column(FunderStatus))


class BudgetLine(BudgetLineFields, db.Model):
    """One line of the provisional budget, on the associations' chart of accounts.

    Charges 60–68 and 86 (volunteer contributions), income 70–78 and 87. The round's own
    74 line is never stored: it is what balances the budget (``rules.budget``).
    """

    __tablename__ = "budget_lines"
    __table_args__ = budget_line_checks()

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="budget_lines")

    def __repr__(self) -> str:
        return f"<BudgetLine {self.id} {self.account} {self.amount_cents}>"


class ProposalYear(db.Model):
    """The share of the requested amount spent in one year of a multi-year action."""

    __tablename__ = "proposal_years"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "year_index", name="uq_proposal_years_index"),
        sa.CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        sa.CheckConstraint("year_index BETWEEN 1 AND 5", name="index_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"))
    #: 1 for the first twelve months of the action, 2 for the next…
    year_index: Mapped[int] = mapped_column()
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)

    proposal: Mapped[Proposal] = relationship(back_populates="years")

    def __repr__(self) -> str:
        return f"<ProposalYear {self.proposal_id} y{self.year_index}>"


class Indicator(db.Model):
    """An evaluation indicator of the action: label, target value, unit."""

    __tablename__ = "proposal_indicators"
    __table_args__ = (sa.CheckConstraint("target >= 0", name="target_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(160))
    target: Mapped[int] = mapped_column()
    unit: Mapped[str] = mapped_column(sa.String(40))

    proposal: Mapped[Proposal] = relationship(back_populates="indicators")

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.label!r}>"


class Decision(enum.StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    REVISION_REQUESTED = "revision_requested"


class ReviewDecision(db.Model):
    """A staff decision on a proposal; the message is shown to the operator."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    #: Reason of a refusal or what to revise; empty for a plain "eligible".
    message: Mapped[str] = mapped_column(sa.Text, default="")
    #: For a revision: the operator must resubmit before this time.
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="decisions")

    def __repr__(self) -> str:
        return f"<ReviewDecision {self.id} {self.decision.value}>"


class ProposalVersion(db.Model):
    """A frozen copy (JSON) of a proposal at each submission, so revisions keep history."""

    __tablename__ = "proposal_versions"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "number", name="uq_proposal_versions_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"))
    number: Mapped[int] = mapped_column()
    snapshot: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    proposal: Mapped[Proposal] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"<ProposalVersion {self.proposal_id} v{self.number}>"
