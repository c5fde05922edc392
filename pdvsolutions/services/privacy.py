"""Personal data (GDPR): a person's data export, account deletion, retention of inactive accounts.

Deleting an account keeps what the person gave to the neighbourhood (needs, supports, a vote's
sign-in) so that counts stay right, but nothing links it to them any more: the needs' author
and the supports' user are emptied, and the account row keeps no e-mail, name or password.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from ..errors import DomainError
from ..extensions import db
from ..models import (
    CommitteeMember,
    InvitationCode,
    Need,
    OrganizationMember,
    OutboxMessage,
    PasswordResetToken,
    RecoveryCode,
    Role,
    Round,
    SignIn,
    Support,
    TotpCredential,
    User,
)
from ..models.users import new_session_token
from ..timeutil import utcnow
from . import audit


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_user_data(user: User) -> dict:
    """Everything the platform holds about ``user``, as plain JSON-ready values."""
    needs = db.session.scalars(sa.select(Need).where(Need.author_id == user.id).order_by(Need.id))
    supports = db.session.execute(
        sa.select(Support.created_at, Need.id, Need.title)
        .join(Need, Need.id == Support.need_id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    )
    messages = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)
    )
    committees = db.session.execute(
        sa.select(CommitteeMember.college, Round.id, Round.title)
        .join(Round, Round.id == CommitteeMember.round_id)
        .where(CommitteeMember.user_id == user.id)
    )
    signins = db.session.scalars(sa.select(SignIn).where(SignIn.user_id == user.id))
    memberships = db.session.scalars(
        sa.select(OrganizationMember).where(OrganizationMember.user_id == user.id)
    )
    return {
        "account": {
            "id": user.id, "email": user.email, "username": user.username,
            "first_name": user.first_name, "last_name": user.last_name,
            "name_public": user.name_public, "role": user.role.value,
            "qpv_code": user.qpv_code, "locale": user.locale,
            "notify_rounds": user.notify_rounds, "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "needs": [
            {"id": n.id, "round_id": n.round_id, "title": n.title, "description": n.description,
             "place": n.place, "status": n.status.value, "created_at": _iso(n.created_at)}
            for n in needs
        ],
        "supports": [
            {"need_id": need_id, "need_title": title, "created_at": _iso(at)}
            for at, need_id, title in supports
        ],
        "committees": [
            {"round_id": round_id, "round_title": title, "college": college}
            for college, round_id, title in committees
        ],
        # When the person voted, never what: ballots hold no identity.
        "vote_signins": [
            {"round_id": s.round_id, "signed_at": _iso(s.signed_at), "on_paper": s.on_paper}
            for s in signins
        ],
        "organizations": [
            {"organization_id": m.organization_id, "organization": m.organization.name,
             "is_admin": m.is_admin}
            for m in memberships
        ],
        "messages": [
            {"created_at": _iso(m.created_at), "to": m.to_address, "subject": m.subject,
             "body": m.body, "sent_at": _iso(m.sent_at)}
            for m in messages
        ],
    }


def is_anonymised(user: User) -> bool:
    return not user.is_enabled and user.password_hash is None and not user.email \
        and not user.username and not user.first_name


def anonymise(user: User) -> None:
    """Remove every identifying trace of ``user``; what they contributed stays, unlinked."""
    db.session.execute(sa.update(Need).where(Need.author_id == user.id).values(author_id=None))
    db.session.execute(sa.update(Support).where(Support.user_id == user.id).values(user_id=None))
    for model in (OutboxMessage, InvitationCode, PasswordResetToken, RecoveryCode,
                  TotpCredential):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    user.email = user.username = user.password_hash = user.qpv_code = user.locale = None
    user.first_name = user.last_name = ""
    user.name_public = user.notify_rounds = False
    user.is_enabled = False
    user.last_login_at = None
    user.session_token = new_session_token()
    db.session.flush()


def delete_account(user: User, password: str) -> None:
    """A resident deletes their own account after typing their password."""
    if user.role is not Role.RESIDENT:
        raise DomainError(_("Seuls les comptes habitants se suppriment ici : "
                            "demandez-le à un administrateur."), field="password")
    if user.password_hash is None or not check_password_hash(user.password_hash, password):
        raise DomainError(_("Le mot de passe est incorrect."), field="password")
    audit.record("account.delete", user, actor=user)
    anonymise(user)


def retention_cutoff(now: datetime, years: int) -> datetime:
    """The same calendar day ``years`` years ago (28 February for a 29 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def anonymise_inactive(years: int) -> int:
    """Anonymise resident and operator accounts without login for ``years``; return how many.

    Staff and admin accounts are left to the administrators, who disable them at departure.
    """
    if years < 1:
        raise DomainError(_("La durée de conservation est d'au moins un an."))
    cutoff = retention_cutoff(utcnow(), years)
    last_seen = sa.func.coalesce(User.last_login_at, User.created_at)
    candidates = db.session.scalars(
        sa.select(User).where(User.role.in_([Role.RESIDENT, Role.OPERATOR]), last_seen < cutoff)
    ).all()
    done = 0
    for user in candidates:
        if is_anonymised(user):
            continue
        anonymise(user)
        audit.record("account.anonymised_inactive", user, details={"years": years})
        done += 1
    return done
