"""Accounts: login, rate limits, sessions, sign-up, open redirects."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Role, User

from .. import factories
from ..conftest import count, csrf_token

WRONG = "Not-The-Right-Password-99"


def _login(client, identifier, password, address="10.0.0.1"):
    token = csrf_token(client, "/connexion")
    return client.post("/connexion", data={"identifier": identifier, "password": password,
                                           "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_login_success_redirects_home_with_session(client, auth, resident):
    response = auth.login("nadia@example.org")
    assert response.status_code == 302
    assert client.get("/compte").status_code == 200


def test_login_unknown_account_and_wrong_password_get_the_same_answer(client, resident):
    unknown = _login(client, "nobody@example.org", WRONG)
    wrong = _login(client, "nadia@example.org", WRONG)
    assert unknown.status_code == wrong.status_code == 200
    message = "Identifiant ou mot de passe incorrect."
    assert message in unknown.get_data(as_text=True)
    assert message in wrong.get_data(as_text=True)


def test_login_ten_failures_for_one_account_give_429_in_french(client, resident):
    for attempt in range(10):
        # A different address each time: only the per-account limit can trigger.
        assert _login(client, "nadia@example.org", WRONG, f"10.0.1.{attempt}").status_code == 200
    response = _login(client, "nadia@example.org", factories.PASSWORD, "10.0.2.1")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_login_ten_failures_from_one_address_give_429(client, resident):
    for attempt in range(10):
        assert _login(client, f"unknown{attempt}@example.org", WRONG).status_code == 200
    response = _login(client, "nadia@example.org", factories.PASSWORD)
    assert response.status_code == 429
    assert "Patientez une minute" in response.get_data(as_text=True)


def test_login_limit_is_the_same_for_an_unknown_account(client, resident):
    for attempt in range(10):
        _login(client, "ghost@example.org", WRONG, f"10.0.3.{attempt}")
    assert _login(client, "ghost@example.org", WRONG, "10.0.4.1").status_code == 429


def test_login_limit_holds_after_an_app_built_with_limits_off(tmp_path, template_database):
    # The fuzz suite builds apps with RATELIMIT_ENABLED=False; Flask-Limiter's single Limiter
    # used to carry that flag over to every app built after it.
    import shutil

    from pdvsolutions import create_app

    from ..conftest import make_test_config

    shutil.copyfile(template_database, tmp_path / "off.sqlite")
    create_app({**make_test_config(tmp_path / "off.sqlite", tmp_path), "RATELIMIT_ENABLED": False})
    shutil.copyfile(template_database, tmp_path / "on.sqlite")
    app = create_app(make_test_config(tmp_path / "on.sqlite", tmp_path))
    client = app.test_client()
    for attempt in range(10):
        _login(client, "ghost@example.org", WRONG, f"10.0.5.{attempt}")
    assert _login(client, "ghost@example.org", WRONG, "10.0.6.1").status_code == 429
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_login_successes_do_not_count_against_the_limit(client, auth, resident):
    for _ in range(12):
        assert auth.login("nadia@example.org").status_code == 302
        auth.logout()


def test_login_disabled_account_is_refused(app, client, resident):
    with app.app_context():
        db.session.get(User, resident).is_enabled = False
        db.session.commit()
    response = _login(client, "nadia@example.org", factories.PASSWORD)
    assert "Identifiant ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/compte").status_code == 302


def test_login_failure_and_success_are_audited(app, client, auth, resident):
    _login(client, "nadia@example.org", WRONG)
    auth.login("nadia@example.org")
    with app.app_context():
        outcomes = db.session.execute(
            sa.select(AuditEvent.outcome, AuditEvent.object_id, AuditEvent.actor_id)
            .where(AuditEvent.action == "auth.login").order_by(AuditEvent.id)).all()
    assert outcomes == [("failure", str(resident), None), ("success", str(resident), resident)]


def test_logout_old_session_cookie_goes_back_to_login(client, auth, resident):
    auth.login("nadia@example.org")
    old_cookie = client.get_cookie("session").value
    auth.logout()
    client.set_cookie("session", old_cookie)
    response = client.get("/compte")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_logout_is_post_only(client, auth, resident):
    auth.login("nadia@example.org")
    assert client.get("/deconnexion").status_code == 405
    assert client.get("/compte").status_code == 200


def test_password_change_ends_the_other_sessions(app, auth, resident):
    other = app.test_client()
    assert factories.PASSWORD  # both log in with the shared test password
    auth.login("nadia@example.org")
    _login(other, "nadia@example.org", factories.PASSWORD)
    assert other.get("/compte").status_code == 200
    response = auth.client.post("/compte", data={
        "current_password": factories.PASSWORD, "password": "Une-nouvelle-phrase-secrete",
        "password_confirm": "Une-nouvelle-phrase-secrete",
        "csrf_token": csrf_token(auth.client, "/compte")})
    assert response.status_code == 302
    assert auth.client.get("/compte").status_code == 200
    ended = other.get("/compte")
    assert ended.status_code == 302 and "/connexion" in ended.headers["Location"]


def test_password_change_with_wrong_current_password_is_refused(app, auth, resident):
    auth.login("nadia@example.org")
    response = auth.client.post("/compte", data={
        "current_password": WRONG, "password": "Une-nouvelle-phrase-secrete",
        "password_confirm": "Une-nouvelle-phrase-secrete",
        "csrf_token": csrf_token(auth.client, "/compte")})
    assert "Le mot de passe actuel est incorrect." in response.get_data(as_text=True)
    assert _login(app.test_client(), "nadia@example.org", factories.PASSWORD).status_code == 302


def _signup(client, password, email="amel@example.org"):
    return client.post("/inscription", data={
        "first_name": "Amel", "email": email, "qpv_code": factories.QPV_HOME,
        "password": password, "password_confirm": password, "accept_privacy": "y",
        "csrf_token": csrf_token(client, "/inscription")})


def test_signup_creates_a_resident_of_the_chosen_qpv(app, client):
    response = _signup(client, "Un-jardin-partage-au-pied-du-bloc")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "amel@example.org"))
        assert user.role is Role.RESIDENT
        assert user.qpv_code == factories.QPV_HOME
        assert user.password_hash.startswith("scrypt:")
    assert client.get("/compte").status_code == 200


@pytest.mark.parametrize(("password", "message"), [
    ("Court-1", "au moins 12 caractères"),
    ("motdepasse123", "trop courant"),
    ("aaaaaaaaaaaaaaaa", "trop courant"),
])
def test_signup_weak_password_is_refused_in_french(app, client, password, message):
    response = _signup(client, password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(User) == 0


def test_signup_existing_email_is_refused(app, client, resident):
    response = _signup(client, "Un-jardin-partage-au-pied-du-bloc", email="Nadia@example.org")
    assert "Un compte existe déjà avec cette adresse." in response.get_data(as_text=True)
    with app.app_context():
        assert count(User) == 1


def test_signup_refuses_a_qpv_outside_every_territory(app, client):
    token = csrf_token(client, "/inscription")
    response = client.post("/inscription", data={
        "first_name": "Amel", "email": "amel@example.org", "qpv_code": "QN07501M",
        "password": "Un-jardin-partage-au-pied-du-bloc",
        "password_confirm": "Un-jardin-partage-au-pied-du-bloc", "accept_privacy": "y",
        "csrf_token": token})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context():
        assert count(User) == 0


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "\\\\evil.example", " //evil.example",
])
def test_login_next_does_not_redirect_off_site(client, resident, target):
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion", data={
        "identifier": "nadia@example.org", "password": factories.PASSWORD, "next": target,
        "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_keeps_a_local_path(client, resident):
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion", data={
        "identifier": "nadia@example.org", "password": factories.PASSWORD,
        "next": "/compte?onglet=1", "csrf_token": token})
    assert response.headers["Location"] == "/compte?onglet=1"


def test_language_set_next_does_not_redirect_off_site(client):
    token = csrf_token(client)
    response = client.post("/langue", data={"language": "en", "next": "//evil.example",
                                            "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_language_choice_is_kept_on_the_account(app, client, auth, resident):
    auth.login("nadia@example.org")
    client.post("/langue", data={"language": "en", "csrf_token": csrf_token(client)})
    with app.app_context():
        assert db.session.get(User, resident).locale == "en"


def test_accept_language_selects_english_without_a_choice(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in html
    french = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="fr"' in french
