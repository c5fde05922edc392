"""Session rules: fresh session at login, idle and absolute timeouts, disabled accounts."""

from datetime import timedelta

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import Role, User

from .. import factories
from ..access.matrix import login_as
from ..conftest import csrf_token


@pytest.fixture
def people(app):
    with app.app_context():
        ids = {
            "resident": factories.make_user(Role.RESIDENT, email="habitant@example.org").id,
            "staff": factories.make_user(Role.STAFF, email="agent@example.org").id,
            "admin": factories.make_user(Role.ADMIN, email="admin@example.org").id,
        }
        db.session.commit()
    return ids


def test_login_starts_a_new_session(client, auth, people):
    before = csrf_token(client, "/connexion")
    with client.session_transaction() as sess:
        sess["planted"] = "by-an-attacker"
    auth.login("habitant@example.org")
    with client.session_transaction() as sess:
        assert "planted" not in sess
    assert csrf_token(client, "/compte") != before


def test_staff_session_ends_after_thirty_idle_minutes(client, auth, people, frozen_clock):
    auth.login("agent@example.org")
    frozen_clock.advance(timedelta(minutes=31))
    assert client.get("/agents/").status_code == 302


def test_staff_session_survives_twenty_nine_idle_minutes(client, auth, people, frozen_clock):
    auth.login("agent@example.org")
    frozen_clock.advance(timedelta(minutes=29))
    assert client.get("/agents/").status_code == 200


def test_resident_session_survives_hours_of_idleness(client, auth, people, frozen_clock):
    auth.login("habitant@example.org")
    frozen_clock.advance(timedelta(hours=11))
    assert client.get("/compte").status_code == 200


def test_every_session_ends_after_twelve_hours(client, auth, people, frozen_clock):
    auth.login("habitant@example.org")
    frozen_clock.advance(timedelta(hours=12, minutes=1))
    assert client.get("/compte").status_code == 302


def test_disabling_an_account_ends_its_sessions(app, client, auth, people):
    auth.login("habitant@example.org")
    admin = app.test_client()
    with app.app_context():
        login_as(admin, db.session.get(User, people["admin"]))
    response = admin.post(f"/admin/comptes/{people['resident']}", data={
        "role": "resident", "csrf_token": csrf_token(admin, "/agents/")})
    assert response.status_code == 302
    assert client.get("/compte").status_code == 302
