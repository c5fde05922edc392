"""The receipt e-mail: it carries the tracker to the voter, then its copy in the outbox is erased."""

import smtplib

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import OutboxMessage

from .test_voting_web import TRACKER_RE, _cast, _world


def _vote(client, auth, world) -> str:
    auth.login(world["members"][0])
    response = _cast(client, world, world["proposals"][2:])
    auth.logout()
    return TRACKER_RE.search(response.get_data(as_text=True)).group(1)


def _message(app) -> OutboxMessage:
    with app.app_context():
        message = db.session.scalar(sa.select(OutboxMessage))
        db.session.expunge(message)
        return message


def test_receipt_mail_is_sent_with_the_tracker_then_redacted_in_the_outbox(app, client, auth,
                                                                          smtp_server):
    world = _world(app)
    tracker = _vote(client, auth, world)
    waiting = _message(app)
    # The window before sending: the tracker is in the queued body (docs/secrecy.md).
    assert waiting.redact_after_send and tracker in waiting.body
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "sent: 1, failed: 0" in result.output
    assert tracker in smtp_server.messages[0]  # the voter gets the receipt
    sent = _message(app)
    assert sent.sent_at is not None and tracker not in sent.body
    assert "Contenu effacé après l'envoi" in sent.body


def test_receipt_mail_given_up_after_the_last_attempt_is_redacted_too(app, client, auth,
                                                                     monkeypatch):
    world = _world(app)
    tracker = _vote(client, auth, world)

    class RefusingSMTP:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr(smtplib, "SMTP", RefusingSMTP)
    for attempt in range(1, 6):
        app.test_cli_runner().invoke(args=["outbox", "send"])
        message = _message(app)
        assert message.attempts == attempt and message.sent_at is None
        assert (tracker in message.body) is (attempt < 5)


def test_other_mails_keep_their_body_after_sending(app, client, resident, smtp_server):
    from ..conftest import csrf_token

    client.post("/mot-de-passe-oublie", data={
        "identifier": "nadia@example.org", "csrf_token": csrf_token(client, "/mot-de-passe-oublie")})
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    app.test_cli_runner().invoke(args=["outbox", "send"])
    message = _message(app)
    assert not message.redact_after_send and "/mot-de-passe/nouveau/" in message.body
