"""Security baseline: CSRF, headers, cookies, error pages, production start-up checks."""

import pytest

from pdvsolutions import create_app
from pdvsolutions.config import Config, UnsafeConfiguration, check_production
from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Role, Territory, User

from .. import factories
from ..conftest import count

STRONG_KEY = "k" * 16 + "0123456789abcdefghij"
PG_URL = "postgresql+psycopg://pdv@127.0.0.1:5432/pdv"


def _production(**overrides) -> dict:
    config = {"PDV_ENV": "production", "SECRET_KEY": STRONG_KEY, "DEBUG": False,
              "SQLALCHEMY_DATABASE_URI": PG_URL, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
              "PDV_WORKERS": 4}
    config.update(overrides)
    return config


def test_csrf_missing_token_on_signup_is_400_and_creates_nothing(app, client):
    response = client.post("/inscription", data={
        "first_name": "Amel", "email": "amel@example.org", "qpv_code": factories.QPV_HOME,
        "password": "Un-jardin-partage-au-pied-du-bloc",
        "password_confirm": "Un-jardin-partage-au-pied-du-bloc", "accept_privacy": "y"})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.get_data(as_text=True)
    with app.app_context():
        assert count(User) == 0
        assert count(AuditEvent) == 0


def test_csrf_missing_token_on_staff_form_changes_nothing(app, client, auth):
    with app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        db.session.commit()
    auth.login("agent@example.org")
    with app.app_context():
        before = count(Territory), count(AuditEvent)
    response = client.post("/agents/territoires/nouveau",
                           data={"name": "Nouveau", "qpv_codes": factories.QPV_HOME})
    assert response.status_code == 400
    with app.app_context():
        assert (count(Territory), count(AuditEvent)) == before


def test_csrf_wrong_token_on_logout_keeps_the_session(app, client, auth):
    with app.app_context():
        factories.make_user(Role.RESIDENT, email="nadia@example.org")
        db.session.commit()
    auth.login("nadia@example.org")
    response = client.post("/deconnexion", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert client.get("/compte").status_code == 200


@pytest.mark.parametrize("path", ["/", "/connexion", "/page-inconnue", "/static/css/app.css",
                                  "/agents/"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    for directive in ("object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in headers


def test_security_headers_on_a_csrf_refusal(client):
    response = client.post("/langue", data={"language": "en"})
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_when_served_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_httponly_and_samesite_lax(app, client, auth):
    with app.app_context():
        factories.make_user(Role.RESIDENT, email="nadia@example.org")
        db.session.commit()
    response = auth.login("nadia@example.org")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over http


def test_session_cookie_is_secure_in_production():
    app = create_app(_production())
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["OUTBOX_PAGE_ENABLED"] is False


def _failing_app(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/boom", "boom", boom)
    return app


def test_error_500_page_is_french_without_stack_trace(app):
    response = _failing_app(app).test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur du serveur" in html and 'lang="fr"' in html
    assert "Traceback" not in html and "secret internal detail" not in html
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("path", "method", "status", "title"), [
    ("/page-inconnue", "get", 404, "Page introuvable"),
    ("/deconnexion", "get", 405, "Action impossible"),
])
def test_error_pages_are_french(client, path, method, status, title):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert title in response.get_data(as_text=True)


def test_error_403_is_french_and_audited(app, client, auth):
    with app.app_context():
        factories.make_user(Role.RESIDENT, email="nadia@example.org")
        db.session.commit()
    auth.login("nadia@example.org")
    response = client.get("/agents/journal")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)
    with app.app_context():
        denied = db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.action == "access.denied"))
        assert denied.outcome == "denied" and '"/agents/journal"' in denied.details


def test_error_413_is_french(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/connexion", data={"identifier": "x" * 5000})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)


def test_production_accepts_safe_settings():
    check_production(_production())


@pytest.mark.parametrize("overrides", [
    {"SECRET_KEY": Config.SECRET_KEY},
    {"SECRET_KEY": "short-key"},
    {"SECRET_KEY": ""},
    {"DEBUG": True},
    {"SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/pdv.sqlite"},
    {"RATELIMIT_STORAGE_URI": "memory://", "PDV_WORKERS": 4},
], ids=["default-key", "short-key", "empty-key", "debug", "sqlite", "memory-limits-workers"])
def test_production_refuses_unsafe_settings(overrides):
    with pytest.raises(UnsafeConfiguration):
        check_production(_production(**overrides))
    with pytest.raises(UnsafeConfiguration):
        create_app(_production(**overrides))


def test_production_refuses_the_default_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("PDV_ENV", "production")
    monkeypatch.setenv("PDV_DATABASE_URL", PG_URL)
    monkeypatch.delenv("PDV_SECRET_KEY", raising=False)
    with pytest.raises(UnsafeConfiguration):
        create_app()


def test_development_accepts_the_default_key():
    check_production({"PDV_ENV": "development", "SECRET_KEY": Config.SECRET_KEY})


def test_get_requests_change_nothing_for_any_persona(app, client):
    """Every GET of the access table, as every persona: no row written but refusal records."""
    from ..access.matrix import all_cases, build_world, login_as

    def rows():
        return {t.name: db.session.scalar(db.select(db.func.count()).select_from(t))
                for t in db.metadata.sorted_tables if t.name != "audit_events"}

    with app.app_context():
        world = build_world()
        db.session.commit()
        before = rows()
        last_event = db.session.scalar(db.select(db.func.max(AuditEvent.id))) or 0
        urls = [case.resolve_url(world) for case in all_cases() if case.method == "GET"]
    for persona, user in world.users.items():
        client.delete_cookie("session")
        with app.app_context():
            login_as(client, db.session.merge(user) if user else None)
        for url in urls:
            assert client.get(url).status_code != 500, f"GET {url} as {persona}"
    with app.app_context():
        assert rows() == before
        actions = set(db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.id > last_event)))
        assert actions <= {"access.denied"}
