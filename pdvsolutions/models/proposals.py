"""Proposals: an organisation's funded action answering one or more retained needs."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
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

    round = relationship("Round")
    organization = relationship("Organization")
    needs = relationship("Need", secondary=proposal_needs)

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status.value}>"
