"""Second factor for staff and admin: TOTP enrolment and checks, single-use recovery codes."""

import secrets

import pyotp
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from ..models import RecoveryCode, TotpCredential, User
from ..rules import codes
from ..timeutil import utcnow
from . import audit

#: Codes accepted one step before and after the current one (phone clocks drift).
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
ISSUER = "pdvsolutions"


def required_for(user: User) -> bool:
    """Staff and admin accounts must pass a second factor (unless switched off for tests)."""
    return user.is_staff and bool(current_app.config["MFA_REQUIRED"])


def credential(user: User) -> TotpCredential | None:
    return db.session.scalar(sa.select(TotpCredential).where(TotpCredential.user_id == user.id))


def is_enrolled(user: User) -> bool:
    row = credential(user)
    return row is not None and row.confirmed_at is not None


def new_secret() -> str:
    """A fresh base32 secret (160 bits) for an enrolment; kept in the session until confirmed."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (typed or scanned)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.login_name, issuer_name=ISSUER)


def _matching_step(secret: str, code: str) -> int | None:
    """Return the time step whose code equals ``code`` within the window, else None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(utcnow().timestamp()) // totp.interval
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _claim_step(row: TotpCredential, step: int) -> bool:
    """Record ``step`` as used, atomically: two workers cannot both accept the same code."""
    result = db.session.execute(
        sa.update(TotpCredential)
        .where(
            TotpCredential.id == row.id,
            sa.or_(TotpCredential.last_used_step.is_(None), TotpCredential.last_used_step < step),
        )
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _wrong_code() -> DomainError:
    return DomainError(_("Ce code n'est pas valable (erroné, expiré ou déjà utilisé)."),
                       field="code")


def confirm_enrolment(user: User, secret: str, code: str) -> list[str]:
    """Check a first code from the app, then register it; return 10 fresh recovery codes."""
    if credential(user) is not None:
        raise DomainError(_("Ce compte a déjà une application d'authentification."),
                          field="code")
    step = _matching_step(secret, code)
    if step is None:
        raise _wrong_code()
    db.session.add(TotpCredential(user_id=user.id, secret=secret, confirmed_at=utcnow(),
                                  last_used_step=step))
    db.session.flush()
    recovery = new_recovery_codes(user)
    audit.record("auth.mfa_enrolled", user, actor=user)
    return recovery


def new_recovery_codes(user: User) -> list[str]:
    """Void the account's recovery codes and return 10 new ones (only hashes are stored)."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    fresh = [codes.new_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=codes.code_hash(c)) for c in fresh)
    db.session.flush()
    return fresh


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _use_recovery_code(user: User, code: str) -> bool:
    result = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == codes.code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def verify(user: User, code: str) -> str:
    """Accept a TOTP code (once) or an unused recovery code; return which one was used."""
    row = credential(user)
    if row is None or row.confirmed_at is None:
        raise _wrong_code()
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) == 6 and len(codes.normalise(code)) == 6:
        step = _matching_step(row.secret, code)
        if step is not None and _claim_step(row, step):
            return "totp"
        raise _wrong_code()
    if len(codes.normalise(code)) == codes.GROUPS * codes.GROUP_LENGTH and _use_recovery_code(
        user, code
    ):
        return "recovery"
    raise _wrong_code()


def reset(user: User, secret: str | None = None) -> str | None:
    """Remove the account's app and recovery codes (lost phone); optionally enrol ``secret``.

    With ``secret`` (demo accounts), the app is enrolled and confirmed at once.
    """
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(sa.delete(TotpCredential).where(TotpCredential.user_id == user.id))
    if secret is not None:
        db.session.add(TotpCredential(user_id=user.id, secret=secret, confirmed_at=utcnow()))
    db.session.flush()
    audit.record("auth.mfa_reset", user, details={"preset": secret is not None})
    return secret
