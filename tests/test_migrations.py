"""Migrations build the schema the models describe, on SQLite and on PostgreSQL, and go back."""

import secrets

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pdvsolutions import create_app
from pdvsolutions.extensions import db

from .pg import require_postgres


def _app(url: str, tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": "migration-test-key-0123456789abcdef",
                       "UPLOAD_FOLDER": str(tmp_path / "uploads")})


def _check_round_trip(app) -> None:
    runner = app.test_cli_runner()
    upgrade = runner.invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, f"models and migrations differ:\n{check.output}"
    downgrade = runner.invoke(args=["db", "downgrade", "base"])
    assert downgrade.exit_code == 0, downgrade.output
    with app.app_context():
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_migrations_upgrade_empty_sqlite_match_models_and_downgrade(tmp_path):
    _check_round_trip(_app(f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path))


@pytest.fixture
def empty_postgres_url():
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    url = make_url(require_postgres())
    name = f"pdv_migrations_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_migrations_upgrade_empty_postgresql_match_models_and_downgrade(empty_postgres_url,
                                                                         tmp_path):
    _check_round_trip(_app(empty_postgres_url, tmp_path))
