"""Second factor of staff and admin accounts: a TOTP secret and single-use recovery codes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime


class TotpCredential(db.Model):
    """An authenticator app registered for an account (RFC 6238, 30-second steps)."""

    __tablename__ = "totp_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    #: Base32 shared secret; the server must read it to check codes, so it is not hashed.
    secret: Mapped[str] = mapped_column(sa.String(64))
    #: None while enrolment waits for a first correct code.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Time step of the last accepted code: a code is accepted once, never replayed.
    last_used_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<TotpCredential user={self.user_id} confirmed={self.confirmed_at is not None}>"


class RecoveryCode(db.Model):
    """A printed single-use code that replaces the authenticator app once (lost phone)."""

    __tablename__ = "recovery_codes"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "code_hash", name="uq_recovery_codes_user_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: sha256 of the normalised code; the code itself is shown once.
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} user={self.user_id} used={self.used_at is not None}>"
