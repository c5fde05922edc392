"""Second factor of staff and admin accounts: two-step login, forced enrolment, single use."""

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import RecoveryCode, Role, TotpCredential
from pdvsolutions.timeutil import utcnow

from .. import factories
from ..conftest import csrf_token
from ..factories_security import code_at, enrol


@pytest.fixture(autouse=True)
def mfa_on(app):
    app.config["MFA_REQUIRED"] = True


@pytest.fixture
def staff(app):
    # No app context stays pushed during requests: Flask-WTF caches the CSRF token in ``g``.
    with app.app_context():
        user = factories.make_user(Role.STAFF, email="agent@example.org")
        enrol(user)
        db.session.commit()
        return user.id


def count_rows(app, query) -> int:
    with app.app_context():
        return db.session.scalar(query)


def send_code(client, code: str):
    return client.post("/connexion/code", data={
        "code": code, "csrf_token": csrf_token(client, "/connexion/code")})


def test_staff_password_alone_opens_no_session(client, auth, staff):
    response = auth.login("agent@example.org")
    assert response.headers["Location"].endswith("/connexion/code")
    assert client.get("/agents/").status_code == 302


def test_staff_login_with_current_code_opens_session(client, auth, staff):
    auth.login("agent@example.org")
    response = send_code(client, code_at(utcnow()))
    assert response.status_code == 302
    assert client.get("/agents/").status_code == 200


def test_totp_code_is_refused_the_second_time(client, auth, staff):
    code = code_at(utcnow())
    auth.login("agent@example.org")
    send_code(client, code)
    auth.logout()
    auth.login("agent@example.org")
    response = send_code(client, code)
    assert "déjà utilisé" in response.get_data(as_text=True)
    assert client.get("/agents/").status_code == 302


def test_expired_totp_code_is_refused(client, auth, staff):
    auth.login("agent@example.org")
    response = send_code(client, code_at(utcnow() - timedelta(minutes=5)))
    assert response.status_code == 200
    assert client.get("/agents/").status_code == 302


def test_recovery_code_works_once(client, auth, staff, app):
    with app.app_context():
        from pdvsolutions.models import User
        from pdvsolutions.services import second_factor

        codes = second_factor.new_recovery_codes(db.session.get(User, staff))
        db.session.commit()
    auth.login("agent@example.org")
    assert send_code(client, codes[0].lower()).status_code == 302
    auth.logout()
    auth.login("agent@example.org")
    send_code(client, codes[0])
    assert client.get("/agents/").status_code == 302
    used = count_rows(app, sa.select(sa.func.count()).select_from(RecoveryCode)
                      .where(RecoveryCode.used_at.is_not(None)))
    assert used == 1


def test_wrong_codes_end_the_pending_login_after_five(client, auth, staff):
    auth.login("agent@example.org")
    for _ in range(4):
        assert send_code(client, "000000").status_code == 200
    response = send_code(client, "000000")
    assert response.headers["Location"].endswith("/connexion")
    assert client.get("/connexion/code").headers["Location"].endswith("/connexion")


def test_wrong_codes_are_rate_limited_per_account(app, staff):
    for _ in range(3):  # three browsers, each allowed a few tries: the account limit holds
        client = app.test_client()
        token = csrf_token(client, "/connexion")
        client.post("/connexion", data={"identifier": "agent@example.org",
                                        "password": factories.PASSWORD, "csrf_token": token})
        statuses = [send_code(client, "000000").status_code for _ in range(4)]
    assert 429 in statuses


def test_pending_login_expires_after_five_minutes(client, auth, staff, frozen_clock):
    auth.login("agent@example.org")
    frozen_clock.advance(timedelta(minutes=6))
    assert client.get("/connexion/code").headers["Location"].endswith("/connexion")


def test_resident_login_has_no_second_step(client, auth, app):
    with app.app_context():
        factories.make_user(Role.RESIDENT, email="habitant@example.org")
        db.session.commit()
    response = auth.login("habitant@example.org")
    assert not response.headers["Location"].endswith("/connexion/code")
    assert client.get("/compte").status_code == 200


def test_staff_without_app_must_enrol_before_anything(client, auth, app):
    with app.app_context():
        factories.make_user(Role.ADMIN, email="admin@example.org")
        db.session.commit()
    auth.login("admin@example.org")
    assert client.get("/connexion/code").headers["Location"].endswith("/connexion/application")
    assert client.get("/admin/comptes/1").status_code == 302
    page = client.get("/connexion/application").get_data(as_text=True)
    secret = re.search(r'class="code-box">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert "otpauth://totp/" in page
    response = client.post("/connexion/application", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, "/connexion/application")})
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert len(re.findall(r"<li><code>[A-Z0-9-]{19}</code></li>", html)) == 10
    assert client.get("/agents/").status_code == 200
    assert count_rows(app, sa.select(TotpCredential.secret)) == secret


def test_enrolment_with_a_wrong_code_registers_nothing(client, auth, app):
    with app.app_context():
        factories.make_user(Role.STAFF, email="agent2@example.org")
        db.session.commit()
    auth.login("agent2@example.org")
    client.get("/connexion/application")
    response = client.post("/connexion/application", data={
        "code": "123456", "csrf_token": csrf_token(client, "/connexion/application")})
    assert response.status_code == 200
    assert count_rows(app, sa.select(sa.func.count()).select_from(TotpCredential)) == 0


def test_staff_session_without_second_factor_is_ended(client, app, staff):
    from pdvsolutions.models import User

    from ..access.matrix import login_as

    with app.app_context():
        login_as(client, db.session.get(User, staff))
    assert client.get("/agents/").status_code == 302


def test_production_refuses_mfa_switched_off():
    from pdvsolutions.config import UnsafeConfiguration, check_production

    with pytest.raises(UnsafeConfiguration):
        check_production({"PDV_ENV": "production", "SECRET_KEY": "k" * 40,
                          "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x/y",
                          "MFA_REQUIRED": False})

