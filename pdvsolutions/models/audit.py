"""Append-only audit log; each row carries the hash of the previous one."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: Plain id, not a foreign key: the log outlives accounts and must never be rewritten.
    actor_id: Mapped[int | None] = mapped_column(index=True)
    #: Role of the actor at the time (``anonymous`` when not logged in).
    actor_role: Mapped[str] = mapped_column(sa.String(16))
    #: Dotted verb such as ``auth.login`` or ``round.phase_change``.
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: ``success``, ``failure`` or ``denied``.
    outcome: Mapped[str] = mapped_column(sa.String(16))
    request_id: Mapped[str | None] = mapped_column(sa.String(32))
    #: Small JSON document with context; never a secret, never a ballot's content.
    details: Mapped[str] = mapped_column(sa.Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.outcome}>"
