"""Accounts: sign-up, login checks, invitation codes, password reset and change."""

import hashlib
import secrets
from functools import cache
from importlib import resources

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import DomainError
from ..extensions import db
from ..models import InvitationCode, PasswordResetToken, Role, User
from ..models.users import new_session_token
from ..rules import codes
from ..rules.passwords import password_problems
from ..timeutil import utcnow
from . import audit, outbox

#: Hash compared against when the account does not exist, so timing does not reveal it.
_DUMMY_HASH = generate_password_hash("pdvsolutions-dummy-password")


PASSWORD_MESSAGES = {
    "too_short": _l("Le mot de passe doit compter au moins 12 caractères."),
    "too_long": _l("Le mot de passe ne peut pas dépasser 256 caractères."),
    "common": _l("Ce mot de passe est trop courant : choisissez-en un autre."),
    "personal": _l("Le mot de passe ne doit pas reprendre votre nom ou votre adresse."),
    "repetitive": _l("Le mot de passe répète trop les mêmes caractères."),
}


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("pdvsolutions").joinpath("data/common_passwords.txt").read_text()
    return frozenset(text.split("\n"))


def check_password_policy(password: str, user_words: tuple[str, ...] = ()) -> None:
    """Raise DomainError (on the ``password`` field) when the password is too weak."""
    problems = password_problems(password, common_passwords(), user_words)
    if problems:
        raise DomainError(PASSWORD_MESSAGES[problems[0]], field="password")


def normalise_login(identifier: str) -> str:
    return identifier.strip().lower()


def find_by_login(identifier: str) -> User | None:
    """Find an account by e-mail or login name (case-insensitive)."""
    login = normalise_login(identifier)
    if not login:
        return None
    return db.session.scalar(
        sa.select(User).where(sa.or_(User.email == login, User.username == login))
    )


def set_password(user: User, password: str) -> None:
    """Check the policy, hash with scrypt, and end every other session of the account."""
    check_password_policy(password, (user.email or "", user.username or "", user.first_name))
    user.password_hash = generate_password_hash(password, method="scrypt")
    user.session_token = new_session_token()


def sign_up_resident(
    email: str, password: str, first_name: str, last_name: str, qpv_code: str, name_public: bool
) -> User:
    """Create a resident account tied to a QPV; refuse an address already in use."""
    email = normalise_login(email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(_("Un compte existe déjà avec cette adresse."), field="email")
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=(last_name or "").strip(),
        qpv_code=qpv_code,
        role=Role.RESIDENT,
        name_public=name_public,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    audit.record("auth.signup", user, actor=user)
    return user


def authenticate(identifier: str, password: str) -> User | None:
    """Return the account when the password matches and the account is usable, else None."""
    user = find_by_login(identifier)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        return None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session of the account (logout everywhere)."""
    user.session_token = new_session_token()


def change_password(user: User, current: str, new: str) -> None:
    if user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise DomainError(_("Le mot de passe actuel est incorrect."), field="current_password")
    set_password(user, new)
    audit.record("auth.password_change", user)


def create_account(
    staff: User,
    *,
    first_name: str,
    last_name: str,
    role: Role,
    email: str | None = None,
    username: str | None = None,
    qpv_code: str | None = None,
) -> tuple[User, str]:
    """Create an account without password and return it with a printable invitation code."""
    email = normalise_login(email) if email else None
    username = normalise_login(username) if username else None
    if role in (Role.STAFF, Role.ADMIN) and staff.role is not Role.ADMIN:
        raise DomainError(_("Seul un administrateur peut créer un compte agent."), field="role")
    if email and db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(_("Un compte existe déjà avec cette adresse."), field="email")
    if username and db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise DomainError(_("Cet identifiant est déjà pris."), field="username")
    if not email and not username:
        raise DomainError(_("Indiquez une adresse e-mail ou un identifiant."), field="username")
    user = User(
        email=email,
        username=username,
        first_name=first_name.strip(),
        last_name=(last_name or "").strip(),
        role=role,
        qpv_code=qpv_code,
        created_by_id=staff.id,
    )
    db.session.add(user)
    db.session.flush()
    code = issue_invitation(user, staff)
    audit.record("account.create", user, details={"role": role.value})
    return user, code


def issue_invitation(user: User, staff: User) -> str:
    """Void the account's earlier codes and return a new one (only its hash is stored)."""
    now = utcnow()
    for old in db.session.scalars(
        sa.select(InvitationCode).where(
            InvitationCode.user_id == user.id, InvitationCode.used_at.is_(None)
        )
    ):
        old.expires_at = min(old.expires_at, now)
    code = codes.new_code()
    db.session.add(
        InvitationCode(
            user_id=user.id,
            code_hash=codes.code_hash(code),
            expires_at=now + current_app.config["INVITATION_TTL"],
            created_by_id=staff.id,
        )
    )
    db.session.flush()
    return code


def redeem_invitation(identifier: str, code: str, password: str) -> User:
    """Set the password of an invited account from its code; the code then dies.

    A wrong code counts against the account's live code, which dies after
    INVITATION_MAX_TRIES failures. Every refusal gives the same message.
    """
    refused = DomainError(
        _("Ce code n'est pas valable (inconnu, déjà utilisé ou expiré)."), field="code"
    )
    user = find_by_login(identifier)
    if user is None:
        raise refused
    now = utcnow()
    live = db.session.scalar(
        sa.select(InvitationCode)
        .where(
            InvitationCode.user_id == user.id,
            InvitationCode.used_at.is_(None),
            InvitationCode.expires_at > now,
            InvitationCode.failed_tries < current_app.config["INVITATION_MAX_TRIES"],
        )
        .order_by(InvitationCode.id.desc())
        .limit(1)
    )
    if live is None:
        raise refused
    if not secrets.compare_digest(live.code_hash, codes.code_hash(code)):
        live.failed_tries += 1
        raise refused
    set_password(user, password)
    live.used_at = now
    audit.record("auth.invitation_redeemed", user, actor=user)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(identifier: str) -> None:
    """Queue a reset link when the account exists and has an e-mail; silent otherwise."""
    user = find_by_login(identifier)
    if user is None or not user.email or not user.is_enabled:
        return
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=utcnow() + current_app.config["PASSWORD_RESET_TTL"],
        )
    )
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(
        "auth.password_reset", token=token
    )
    outbox.queue_for_user(
        user,
        "password_reset",
        _("Réinitialisation de votre mot de passe"),
        _(
            "Bonjour %(name)s,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien "
            "(valable une heure, une seule fois) :\n%(link)s\n\nSi vous n'avez rien demandé, "
            "ignorez ce message.",
            name=user.first_name,
            link=link,
        ),
    )
    audit.record("auth.password_reset_requested", user, actor=user)


def find_reset_token(token: str) -> PasswordResetToken | None:
    """Return the live token row for ``token`` (unused, not expired), else None."""
    row = db.session.scalar(
        sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def reset_password(token: str, password: str) -> User:
    row = find_reset_token(token)
    if row is None:
        raise DomainError(_("Ce lien n'est plus valable : demandez-en un nouveau."))
    set_password(row.user, password)
    row.used_at = utcnow()
    audit.record("auth.password_reset", row.user, actor=row.user)
    return row.user
