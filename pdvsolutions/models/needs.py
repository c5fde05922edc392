"""Expected solutions (needs) written by residents, and the supports they receive."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column


class NeedStatus(enum.StrEnum):
    PUBLISHED = "published"
    HIDDEN = "hidden"
    MERGED = "merged"
    RETAINED = "retained"


class Need(db.Model):
    __tablename__ = "needs"
    __table_args__ = (
        sa.Index("ix_needs_round_status_created", "round_id", "status", "created_at"),
        # Pages of the lists read in index order and stop after a page, whatever the size:
        # by supports (public default), by supports within one field (the field filter and
        # the by-field order; on PostgreSQL the status rides along, so the capped count of one
        # field reads the index alone), by date (public, moderation).
        sa.Index("ix_needs_round_supports", "round_id", "support_count", "created_at", "id"),
        sa.Index("ix_needs_round_field_supports", "round_id", "field_id", "support_count",
                 "created_at", "id", postgresql_include=["status"]),
        sa.Index("ix_needs_round_created", "round_id", "created_at", "id"),
        sa.CheckConstraint("support_count >= 0", name="support_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    #: Null once the author deleted their account: the need stays, without identity.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    field_id: Mapped[int] = mapped_column(sa.ForeignKey("round_fields.id"))
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text)
    #: Optional place in the neighbourhood ("près du collège", "bâtiment C").
    place: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus), default=NeedStatus.PUBLISHED
    )
    #: Staff member who entered the need for a resident met in person (saisie assistée).
    assisted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why staff hid the need; shown to its author (never a silent delete).
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    #: The need this duplicate was merged into (its supports moved there).
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("needs.id"))
    #: Wording of the "solution attendue" in the call, when staff reworded the need on
    #: retaining it; the resident's own title and description stay as they were.
    call_title: Mapped[str | None] = mapped_column(sa.String(120))
    call_description: Mapped[str | None] = mapped_column(sa.Text)
    retained_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Number of rows in ``supports`` for this need, kept by services/needs.py in the same
    #: transaction as the supports themselves: the lists sort by it through an index instead
    #: of counting every need's supports on each page.
    support_count: Mapped[int] = mapped_column(default=0, server_default="0")

    round = relationship("Round")
    field = relationship("RoundField")
    author = relationship("User", foreign_keys=[author_id])
    assisted_by = relationship("User", foreign_keys=[assisted_by_id])
    merged_into = relationship("Need", remote_side=[id], foreign_keys=[merged_into_id])
    revisions: Mapped[list["NeedRevision"]] = relationship(
        back_populates="need", order_by="NeedRevision.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Need {self.id} {self.status.value}>"

    @property
    def shown_title(self) -> str:
        """The title the call shows: the staff rewording when there is one."""
        return self.call_title or self.title

    @property
    def shown_description(self) -> str:
        return self.call_description or self.description

    @property
    def is_visible(self) -> bool:
        """Shown on public lists (hidden and merged needs are not)."""
        return self.status in (NeedStatus.PUBLISHED, NeedStatus.RETAINED)


class NeedRevision(db.Model):
    """The wording of a need before a change, kept so that its author sees what changed."""

    __tablename__ = "need_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id"), index=True)
    #: Who made the change: the author, or a staff member (moderation).
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    by_staff: Mapped[bool] = mapped_column(default=False)
    old_title: Mapped[str] = mapped_column(sa.String(120))
    old_description: Mapped[str] = mapped_column(sa.Text)
    old_field_label: Mapped[str] = mapped_column(sa.String(80))
    old_place: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need: Mapped[Need] = relationship(back_populates="revisions")

    def __repr__(self) -> str:
        return f"<NeedRevision {self.id} need={self.need_id}>"


class Support(db.Model):
    """A resident endorsing a need: one per resident per need."""

    __tablename__ = "supports"
    __table_args__ = (sa.UniqueConstraint("need_id", "user_id", name="uq_supports_need_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Support need={self.need_id} user={self.user_id}>"
