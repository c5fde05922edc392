"""Password reset by a single-use expiring link, through the outbox; SMTP from the CLI only."""

import re
import smtplib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import OutboxMessage, Role, User

from .. import factories
from ..conftest import count, csrf_token

LINK_RE = re.compile(r"http://localhost(/mot-de-passe/nouveau/\S+)")
NEW_PASSWORD = "Trois-tomates-sur-le-balcon"


@pytest.fixture
def no_smtp(monkeypatch):
    """Fail loudly if anything opens an SMTP connection during a request."""

    def refuse(*args, **kwargs):
        raise AssertionError("a request opened an SMTP connection")

    monkeypatch.setattr(smtplib, "SMTP", refuse)


def _forgot(client, identifier="nadia@example.org"):
    return client.post("/mot-de-passe-oublie", data={
        "identifier": identifier, "csrf_token": csrf_token(client, "/mot-de-passe-oublie")})


def _reset_link(app) -> str:
    with app.app_context():
        body = db.session.scalar(sa.select(OutboxMessage.body).order_by(OutboxMessage.id.desc()))
    return LINK_RE.search(body).group(1)


def _reset(client, path, password=NEW_PASSWORD):
    return client.post(path, data={"password": password, "password_confirm": password,
                                   "csrf_token": csrf_token(client, "/")})


def test_password_forgot_queues_a_message_without_sending(app, client, resident, no_smtp):
    response = _forgot(client)
    assert response.status_code == 302
    with app.app_context():
        message = db.session.scalar(sa.select(OutboxMessage))
        assert message.to_address == "nadia@example.org"
        assert message.kind == "password_reset"
        assert message.sent_at is None and message.attempts == 0


def test_password_forgot_unknown_address_same_answer_and_no_message(app, client, resident):
    known = _forgot(client)
    unknown = _forgot(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    with app.app_context():
        assert count(OutboxMessage) == 1


def test_password_forgot_message_rolls_back_with_its_transaction(app, resident):
    from pdvsolutions.services import accounts

    with app.test_request_context():
        accounts.request_password_reset("nadia@example.org")
        db.session.rollback()
        assert count(OutboxMessage) == 0


def test_password_reset_link_works_once(app, client, resident):
    _forgot(client)
    path = _reset_link(app)
    assert _reset(client, path).status_code == 302
    second = client.get(path)
    assert second.status_code == 404
    assert "Le lien a déjà servi ou a expiré." in second.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, resident)
        from werkzeug.security import check_password_hash
        assert check_password_hash(user.password_hash, NEW_PASSWORD)


def test_password_reset_link_expires(app, client, resident, frozen_clock):
    _forgot(client)
    path = _reset_link(app)
    frozen_clock.advance(app.config["PASSWORD_RESET_TTL"] + timedelta(seconds=1))
    assert _reset(client, path).status_code == 404
    with app.app_context():
        assert db.session.get(User, resident).password_hash == factories._password_hash()


def test_password_reset_refuses_a_common_password(app, client, resident):
    _forgot(client)
    response = _reset(client, _reset_link(app), "motdepasse123")
    assert response.status_code == 200
    assert "trop courant" in response.get_data(as_text=True)


def test_password_reset_ends_existing_sessions(app, auth, resident):
    auth.login("nadia@example.org")
    other = app.test_client()
    _forgot(other)
    _reset(other, _reset_link(app))
    response = auth.client.get("/compte")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_outbox_send_delivers_pending_messages_and_marks_them_sent(app, client, resident,
                                                                   smtp_server):
    _forgot(client)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent: 1, failed: 0" in result.output
    assert len(smtp_server.messages) == 1
    assert "To: nadia@example.org" in smtp_server.messages[0]
    with app.app_context():
        message = db.session.scalar(sa.select(OutboxMessage))
        assert message.sent_at is not None and message.attempts == 1
    again = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "sent: 0" in again.output and len(smtp_server.messages) == 1


def test_outbox_page_shows_messages_to_staff_in_development(app, client, auth, resident):
    _forgot(client)
    with app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        db.session.commit()
    auth.login("agent@example.org")
    assert "nadia@example.org" in client.get("/agents/courriels").get_data(as_text=True)
    app.config["OUTBOX_PAGE_ENABLED"] = False
    assert client.get("/agents/courriels").status_code == 404
