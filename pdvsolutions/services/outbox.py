"""Queue messages in the current transaction; send the pending ones over SMTP from the CLI."""

import smtplib
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db, insert_now
from ..models import OutboxMessage, User
from ..timeutil import utcnow

#: Attempts after which a message is given up.
MAX_ATTEMPTS = 5


def queue(to_address: str, kind: str, subject: str, body: str, user: User | None = None, *,
          redact_after_send: bool = False):
    """Add a message to the outbox; it leaves only if the surrounding transaction commits.

    ``redact_after_send``: the body holds a secret tied to the person (a vote receipt); it is
    erased as soon as the message has left, or once it is given up.
    """
    return insert_now(OutboxMessage(
        to_address=to_address,
        kind=kind,
        subject=str(subject),
        body=str(body),
        user_id=user.id if user is not None else None,
        redact_after_send=redact_after_send,
    ))


def queue_for_user(user: User, kind: str, subject: str, body: str, *,
                   redact_after_send: bool = False) -> OutboxMessage | None:
    """Queue a message to an account when it has an e-mail address; None otherwise."""
    if not user.email:
        return None
    return queue(user.email, kind, subject, body, user=user,
                 redact_after_send=redact_after_send)


def redact(message: OutboxMessage) -> None:
    """Erase the body of a message that held a secret (it has left, or never will)."""
    message.body = _("[Contenu effacé après l'envoi : ce message contenait un reçu de vote, "
                     "qui n'est conservé nulle part avec votre identité.]")


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send up to ``limit`` pending messages; return (sent, failed). Commits per message."""
    config = current_app.config
    pending = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    if not pending:
        return 0, 0
    sent = failed = 0
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for message in pending:
            email = EmailMessage()
            email["From"] = config["MAIL_DEFAULT_SENDER"]
            email["To"] = message.to_address
            email["Subject"] = message.subject
            email.set_content(message.body)
            message.attempts += 1
            try:
                smtp.send_message(email)
            except smtplib.SMTPException as exc:
                message.last_error = str(exc)[:500]
                failed += 1
                if message.redact_after_send and message.attempts >= MAX_ATTEMPTS:
                    redact(message)  # given up: the voter saw the receipt on screen
            else:
                message.sent_at = utcnow()
                message.last_error = None
                if message.redact_after_send:
                    redact(message)
                sent += 1
            db.session.commit()
    return sent, failed
