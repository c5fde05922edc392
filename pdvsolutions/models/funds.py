"""Anti-appel à projets: funds and their ledger, challenges, sourced structures, sprints and
funding decisions."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..rules.pipeline import ProspectStatus
from ..rules.sprints import DEFAULT_LENGTH_DAYS, CheckpointKind
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column
from .proposals import BudgetLineFields, budget_line_checks


class Fund(db.Model):
    """A dedicated fund (e.g. a foundation's) from which sprints are funded directly."""

    __tablename__ = "funds"
    __table_args__ = (
        sa.CheckConstraint("total_cents > 0", name="total_positive"),
        sa.CheckConstraint("ends_on >= starts_on", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    #: Who brings the money (a foundation, the métropole…).
    funder: Mapped[str] = mapped_column(sa.String(160))
    total_cents: Mapped[int] = mapped_column(sa.BigInteger)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entries: Mapped[list["FundEntry"]] = relationship(
        back_populates="fund", order_by="FundEntry.id")

    def __repr__(self) -> str:
        return f"<Fund {self.id} {self.total_cents}>"


class FundEntryKind(enum.StrEnum):
    #: Money promised to a grant: lowers the balance.
    COMMITMENT = "commitment"
    #: Money that left for a committed grant: does not change the balance.
    PAYMENT = "payment"
    #: A commitment given back (grant cancelled or under-spent): raises the balance.
    RELEASE = "release"


class FundEntry(db.Model):
    """One line of a fund's ledger; never updated nor deleted."""

    __tablename__ = "fund_entries"
    __table_args__ = (sa.CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(sa.ForeignKey("funds.id"), index=True)
    kind: Mapped[FundEntryKind] = mapped_column(enum_column(FundEntryKind))
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)
    grant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("grants.id"), index=True)
    #: For a payment entry: the instalment paid (one ledger line per instalment).
    payment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("payments.id"), unique=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    fund: Mapped[Fund] = relationship(back_populates="entries")
    grant = relationship("Grant")
    payment = relationship("Payment")

    def __repr__(self) -> str:
        return f"<FundEntry {self.id} {self.kind.value} {self.amount_cents}>"


class PartnerKind(enum.StrEnum):
    STATE = "state"
    METROPOLE = "metropole"
    COMMUNE = "commune"
    LANDLORD = "landlord"
    ASSOCIATION = "association"
    OTHER = "other"


class Challenge(db.Model):
    """A défi: a need identified by a partner of the contrat de ville."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.String(2000))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id"), index=True)
    #: Thématique (éducation, insertion, cadre de vie…).
    field: Mapped[str] = mapped_column(sa.String(80))
    partner_kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind))
    #: The partner who raised it, e.g. "13 Habitat" or "Ville de Marseille".
    partner_name: Mapped[str] = mapped_column(sa.String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    territory = relationship("Territory")
    prospects: Mapped[list["Prospect"]] = relationship(
        back_populates="challenge", order_by="Prospect.id")

    def __repr__(self) -> str:
        return f"<Challenge {self.id}>"


class Prospect(db.Model):
    """A structure repérée: an organisation spotted by staff for a challenge."""

    __tablename__ = "prospects"
    __table_args__ = (
        sa.UniqueConstraint("challenge_id", "organization_id", name="uq_prospects_challenge_org"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(sa.ForeignKey("challenges.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    #: Staff notes on the project idea; internal, never exported.
    notes: Mapped[str] = mapped_column(sa.String(2000), default="")
    status: Mapped[ProspectStatus] = mapped_column(
        enum_column(ProspectStatus), default=ProspectStatus.SPOTTED, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge: Mapped[Challenge] = relationship(back_populates="prospects")
    organization = relationship("Organization")
    contacts: Mapped[list["ContactEntry"]] = relationship(
        back_populates="prospect", order_by="ContactEntry.id.desc()")
    sprint: Mapped["Sprint | None"] = relationship(back_populates="prospect")
    decisions: Mapped[list["FundingDecision"]] = relationship(
        back_populates="prospect", order_by="FundingDecision.id")

    def __repr__(self) -> str:
        return f"<Prospect {self.id} {self.status.value}>"


class ContactEntry(db.Model):
    """One exchange with a spotted structure (call, meeting, e-mail), written by staff."""

    __tablename__ = "contact_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(sa.ForeignKey("prospects.id"), index=True)
    contacted_on: Mapped[date] = mapped_column(sa.Date)
    #: rencontre, téléphone, e-mail…
    channel: Mapped[str] = mapped_column(sa.String(40))
    summary: Mapped[str] = mapped_column(sa.String(1000))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prospect: Mapped[Prospect] = relationship(back_populates="contacts")
    author = relationship("User")

    def __repr__(self) -> str:
        return f"<ContactEntry {self.id} prospect={self.prospect_id}>"


class Sprint(db.Model):
    """A prototyping sprint (15 days by default) for one spotted structure."""

    __tablename__ = "sprints"
    __table_args__ = (
        sa.CheckConstraint("length_days BETWEEN 1 AND 90", name="length_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(sa.ForeignKey("prospects.id"), unique=True)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    length_days: Mapped[int] = mapped_column(default=DEFAULT_LENGTH_DAYS)
    #: The coach (a person of the Lab or of the métropole), by name.
    coach: Mapped[str] = mapped_column(sa.String(120))
    prototype: Mapped[str] = mapped_column(sa.String(4000), default="")
    indicators: Mapped[str] = mapped_column(sa.String(2000), default="")
    deliverables_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prospect: Mapped[Prospect] = relationship(back_populates="sprint")
    checkpoints: Mapped[list["SprintCheckpoint"]] = relationship(
        back_populates="sprint", order_by="SprintCheckpoint.due_on", cascade="all, delete-orphan")
    journal: Mapped[list["SprintJournalEntry"]] = relationship(
        back_populates="sprint", order_by="SprintJournalEntry.id.desc()")
    budget_lines: Mapped[list["SprintBudgetLine"]] = relationship(
        back_populates="sprint", order_by="(SprintBudgetLine.account, SprintBudgetLine.id)",
        cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Sprint {self.id} prospect={self.prospect_id}>"

    def checkpoint(self, kind: CheckpointKind) -> "SprintCheckpoint | None":
        return next((c for c in self.checkpoints if c.kind is kind), None)

    @property
    def pitched(self) -> bool:
        pitch = self.checkpoint(CheckpointKind.PITCH)
        return bool(pitch and pitch.done_at)


class SprintCheckpoint(db.Model):
    __tablename__ = "sprint_checkpoints"
    __table_args__ = (sa.UniqueConstraint("sprint_id", "kind", name="uq_sprint_checkpoints_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(sa.ForeignKey("sprints.id"))
    kind: Mapped[CheckpointKind] = mapped_column(enum_column(CheckpointKind))
    due_on: Mapped[date] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sprint: Mapped[Sprint] = relationship(back_populates="checkpoints")

    def __repr__(self) -> str:
        return f"<SprintCheckpoint {self.id} {self.kind.value}>"


class SprintJournalEntry(db.Model):
    """The sprint's shared journal: entries by the operator and by staff."""

    __tablename__ = "sprint_journal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(sa.ForeignKey("sprints.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sprint: Mapped[Sprint] = relationship(back_populates="journal")
    author = relationship("User")

    def __repr__(self) -> str:
        return f"<SprintJournalEntry {self.id}>"


class SprintBudgetLine(BudgetLineFields, db.Model):
    """One line of the prototype's budget: the proposals' budget line, for a sprint.

    Same chart of accounts, same form and same rules (``rules.budget``): charges 60–68,
    income 70–78, contributions in kind 86/87; what the fund is asked for is computed.
    """

    __tablename__ = "sprint_budget_lines"
    __table_args__ = budget_line_checks()

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(sa.ForeignKey("sprints.id"), index=True)

    sprint: Mapped[Sprint] = relationship(back_populates="budget_lines")

    def __repr__(self) -> str:
        return f"<SprintBudgetLine {self.id} {self.account} {self.amount_cents}>"


class DecisionOutcome(enum.StrEnum):
    FUNDED = "funded"
    DECLINED = "declined"


class FundingDecision(db.Model):
    """After the pitch: the committee's decision; a funded one creates a grant on the fund."""

    __tablename__ = "funding_decisions"
    __table_args__ = (
        sa.CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        sa.CheckConstraint("outcome <> 'funded' OR amount_cents > 0", name="funded_has_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(sa.ForeignKey("prospects.id"), index=True)
    fund_id: Mapped[int] = mapped_column(sa.ForeignKey("funds.id"), index=True)
    #: The body that decided (comité de la fondation, jury du Lab…).
    committee: Mapped[str] = mapped_column(sa.String(160))
    decided_on: Mapped[date] = mapped_column(sa.Date)
    outcome: Mapped[DecisionOutcome] = mapped_column(enum_column(DecisionOutcome))
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    reason: Mapped[str] = mapped_column(sa.String(1000))
    grant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("grants.id"), unique=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prospect: Mapped[Prospect] = relationship(back_populates="decisions")
    fund: Mapped[Fund] = relationship()
    grant = relationship("Grant")

    def __repr__(self) -> str:
        return f"<FundingDecision {self.id} {self.outcome.value}>"
