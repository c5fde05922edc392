"""Migrations build the schema the models describe, on SQLite and on PostgreSQL, and go back."""

import hashlib
import json
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


def _old_ballots(round_id: int, n: int) -> list[dict]:
    """Ballots as the schema before 0010 stored them: numbered and chained as they arrived."""

    def sha(text):
        return hashlib.sha256(text.encode()).hexdigest()

    rows, prev = [], "0" * 64
    for position in range(1, n + 1):
        content = json.dumps({str(position % 3 + 1): 1}, separators=(",", ":"))
        nonce = f"{round_id * 100 + position:032x}"
        tracker = sha(content + nonce)
        rows.append({"id": round_id * 100 + position, "round_id": round_id, "position": position,
                     "tracker": tracker, "nonce": nonce, "content": content, "prev_hash": prev,
                     "hash": sha(prev + tracker + content), "on_paper": position == 1})
        prev = rows[-1]["hash"]
    return rows


def test_migration_0010_moves_ballots_to_random_ids_urn_and_tracker_order(tmp_path):
    """A closed vote is rechained in tracker order; an open one goes back to the urn."""
    app = _app(f"sqlite:///{tmp_path / 'data.sqlite'}", tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "0008"]).exit_code == 0
    closed, still_open = _old_ballots(1, 5), _old_ballots(2, 3)
    with app.app_context(), db.engine.begin() as connection:
        for round_id, closed_at in ((1, "2026-06-01 10:00:00"), (2, None)):
            connection.execute(sa.text(
                "INSERT INTO voter_rolls (id, round_id, size, fingerprint, frozen_at, closed_at,"
                " head_hash) VALUES (:r, :r, 9, 'f', '2026-05-01 10:00:00', :c, 'h')"),
                {"r": round_id, "c": closed_at})
        for ballot in closed + still_open:
            connection.execute(sa.text(
                "INSERT INTO ballots VALUES (:id, :round_id, :position, :tracker, :nonce,"
                " :content, :prev_hash, :hash, :on_paper)"), ballot)
            connection.execute(sa.text(
                "INSERT INTO ballot_lines (ballot_id, proposal_id, points) VALUES (:id, :p, 1)"),
                {"id": ballot["id"], "p": int(next(iter(json.loads(ballot["content"]))))})
    upgrade = runner.invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    with app.app_context(), db.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT round_id, id, tracker, position, prev_hash, hash FROM ballots")).all()
        heads = dict(connection.execute(
            sa.text("SELECT round_id, head_hash FROM voter_rolls")).tuples().all())
        lines = connection.execute(sa.text(
            "SELECT ballot_id FROM ballot_lines")).scalars().all()
        db.engine.dispose()
    old_ids = {b["id"] for b in closed + still_open}
    assert not old_ids & {row.id for row in rows}
    chained = sorted((row for row in rows if row.round_id == 1), key=lambda row: row.position)
    assert [row.tracker for row in chained] == sorted(b["tracker"] for b in closed)
    assert [row.position for row in chained] == [1, 2, 3, 4, 5]
    assert chained[0].prev_hash == "0" * 64 and heads[1] == chained[-1].hash
    assert all(later.prev_hash == earlier.hash
               for earlier, later in zip(chained, chained[1:], strict=False))
    assert {(row.position, row.hash) for row in rows if row.round_id == 2} == {(None, None)}
    assert heads[2] == "0" * 64
    assert sorted(lines) == sorted(row.id for row in chained)
