"""The residents' committee of a round and the vote sign-in record (émargement)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime


class CommitteeMember(db.Model):
    __tablename__ = "committee_members"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "user_id", name="uq_committee_members_round_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Parents' association, conseil citoyen, residents' collective, or another college.
    college: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round = relationship("Round")
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<CommitteeMember round={self.round_id} user={self.user_id}>"


class SignIn(db.Model):
    """Émargement: who voted in a round and when, never what. One per member and round."""

    __tablename__ = "signins"
    __table_args__ = (sa.UniqueConstraint("round_id", "user_id", name="uq_signins_round_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Ballot handed in on paper and recorded by staff.
    on_paper: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<SignIn round={self.round_id} user={self.user_id}>"
