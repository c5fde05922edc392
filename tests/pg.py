"""PostgreSQL for the concurrency and durability tests.

``PDV_TEST_DATABASE_URL`` names the server (default: the local ``test`` database). Without a
server the tests skip with the reason; with ``CI=true`` a missing server is a failure.
"""

import os

import pytest
import sqlalchemy as sa

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def database_url() -> str:
    url = os.environ.get("PDV_TEST_DATABASE_URL", DEFAULT_URL)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def require_postgres() -> str:
    """Return the URL of a reachable server, or skip (fail under CI=true)."""
    url = database_url()
    try:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "no usable server"
        reason = f"PostgreSQL not reachable at {url}: {error.__class__.__name__}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: PostgreSQL is required)")
        pytest.skip(reason)
    return url


def reset_schema(url: str) -> None:
    """Drop every table of the public schema (fresh database for each test)."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def pg_app(tmp_path):
    """An app on a fresh PostgreSQL schema, with the base world of ``tests.factories``."""
    from pdvsolutions import create_app
    from pdvsolutions.extensions import db

    from . import factories

    url = require_postgres()
    reset_schema(url)
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_BASE_URL": "http://localhost",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    })
    with app.app_context():
        db.create_all()
        factories.base_world()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
