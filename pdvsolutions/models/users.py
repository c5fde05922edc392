"""Accounts: people, their role, and their one-time secrets (invitation codes, reset links)."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column


class Role(enum.StrEnum):
    RESIDENT = "resident"
    OPERATOR = "operator"
    STAFF = "staff"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased; optional, since many residents have no e-mail address.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    #: Login name for accounts created by staff without an e-mail (e.g. ``membre1``).
    username: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80), default="")
    #: Consent to show "first name + initial" on public pages; otherwise "un habitant".
    name_public: Mapped[bool] = mapped_column(default=False)
    #: None until the person sets a password (account created with an invitation code).
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.RESIDENT)
    #: The resident's neighbourhood; no street address is ever stored.
    qpv_code: Mapped[str | None] = mapped_column(sa.ForeignKey("qpvs.code"))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    #: Rotated at logout and password change: every other session holding the old one ends.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    #: Disabled accounts cannot log in and their sessions end.
    is_enabled: Mapped[bool] = mapped_column(default=True)
    #: Opt-in to notifications about rounds of the resident's territory.
    notify_rounds: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Staff member who created the account (assisted sign-up), if any.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    qpv = relationship("Qpv")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"

    # Flask-Login: the id carries the session token, so a rotated token logs the session out.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled and self.password_hash is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def login_name(self) -> str:
        return self.email or self.username or ""

    @property
    def public_name(self) -> str | None:
        """First name and initial when the person consented, else None."""
        if not self.name_public:
            return None
        initial = f" {self.last_name[:1].upper()}." if self.last_name else ""
        return f"{self.first_name}{initial}"


class InvitationCode(db.Model):
    """A printable one-time code with which a person without e-mail sets a password."""

    __tablename__ = "invitation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: sha256 of the normalised code; the code itself is only ever printed.
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Wrong codes entered for this account; the code dies at INVITATION_MAX_TRIES.
    failed_tries: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user = relationship(User, foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<InvitationCode {self.id} user={self.user_id}>"


class PasswordResetToken(db.Model):
    """A single-use, expiring password-reset link; only its hash is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship(User)

    def __repr__(self) -> str:
        return f"<PasswordResetToken {self.id} user={self.user_id}>"
