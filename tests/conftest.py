"""Fixtures: a fresh app and database per test, a client that logs in through the real form."""

import os
import re
import shutil

import pytest
import sqlalchemy as sa

from pdvsolutions import create_app
from pdvsolutions.extensions import db as _db

from . import factories

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def pytest_report_header(config):
    return [f"PDV_TEST_DATABASE_URL={os.environ.get('PDV_TEST_DATABASE_URL', '(default)')}",
            f"CI={os.environ.get('CI', '')}"]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Compile the translation catalogs when a .mo is missing or older than its .po."""
    from scripts import i18n

    for po in i18n.I18N.glob("*/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            i18n.compile_all()
            break


def make_test_config(database_path, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_BASE_URL": "http://localhost",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """The schema and base world, built once; each test gets a copy (create_all is slow)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite"
    app = create_app(make_test_config(path, folder))
    with app.app_context():
        _db.create_all()
        factories.base_world()
        _db.session.commit()
        _db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, template_database):
    path = tmp_path / "test.sqlite"
    shutil.copyfile(template_database, path)
    app = create_app(make_test_config(path, tmp_path))
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/") -> str:
    """Fetch a page and return the session's CSRF token from one of its forms."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


class Auth:
    """Logs in through the real login form, with a real CSRF token."""

    def __init__(self, client):
        self.client = client

    def login(self, identifier: str, password: str = factories.PASSWORD):
        token = csrf_token(self.client, "/connexion")
        return self.client.post("/connexion", data={
            "identifier": identifier, "password": password, "csrf_token": token,
        })

    def logout(self):
        token = csrf_token(self.client)
        return self.client.post("/deconnexion", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return Auth(client)


def post_form(client, url: str, data: dict | None = None, token_from: str | None = None, **kwargs):
    """POST ``data`` to ``url`` with a valid CSRF token taken from ``token_from`` (or ``/``)."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client, token_from or "/"))
    return client.post(url, data=payload, **kwargs)


@pytest.fixture
def post(client):
    def _post(url, data=None, **kwargs):
        return post_form(client, url, data, **kwargs)

    return _post


def count(model, *where) -> int:
    """Rows of ``model`` (those matching ``where``, when given)."""
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


from .clock import frozen_clock  # noqa: E402,F401  (fixture freezing pdvsolutions' clock)
from .fixtures_core import resident, staff_client  # noqa: E402,F401  (foundation fixtures)
from .fixtures_smtp import smtp_server  # noqa: E402,F401  (fake SMTP server)
from .pg import pg_app  # noqa: E402,F401  (fixture for PostgreSQL tests)
