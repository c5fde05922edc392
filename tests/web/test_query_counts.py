"""SQL statements per request must not grow with the number of rows (no per-row queries).

Other areas use it on their list pages::

    from tests.web.test_query_counts import assert_constant_queries

    def test_need_list_queries_are_constant(client, app):
        assert_constant_queries(client, "/besoins", grow=lambda n: [make_need() for _ in range(n)])
"""

from collections.abc import Callable
from contextlib import contextmanager

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Role, User
from pdvsolutions.services import audit

from .. import factories
from ..access.matrix import login_as

#: Rows added before the first measure; the second measure has three times as many.
ROWS = 30


@contextmanager
def counting_queries(app):
    """Collect the SQL statements the app sends while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def queries_of(client, url: str) -> list[str]:
    with counting_queries(client.application) as statements:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return list(statements)


def assert_constant_queries(client, url: str, grow: Callable[[int], object], rows: int = ROWS):
    """Add ``rows`` rows, count the statements of GET ``url``; add ``2 * rows``; count again.

    ``grow(n)`` adds n rows (it runs inside an app context; this function commits).
    """
    app = client.application
    for n, label in ((rows, "first"), (2 * rows, "second")):
        with app.app_context():
            grow(n)
            db.session.commit()
        if label == "first":
            small = queries_of(client, url)
    large = queries_of(client, url)
    assert len(large) <= len(small), (
        f"{url}: {len(small)} statements with {rows} rows, {len(large)} with {3 * rows}:\n"
        + "\n".join(large)
    )


def logged_in_staff(app):
    client = app.test_client()
    with app.app_context():
        login_as(client, factories.make_user(Role.STAFF))
        db.session.commit()
    return client


def add_accounts(n: int) -> None:
    for _ in range(n):
        factories.make_user(Role.RESIDENT)


def add_audit_events(n: int) -> None:
    actor = db.session.scalar(sa.select(User).limit(1))
    for i in range(n):
        audit.record("test.event", actor, actor=actor, details={"i": i})


def test_staff_account_list_queries_are_constant(app):
    assert_constant_queries(logged_in_staff(app), "/agents/comptes", add_accounts)


def test_audit_log_queries_are_constant(app):
    assert_constant_queries(logged_in_staff(app), "/agents/journal", add_audit_events)


def test_query_counter_sees_a_per_row_query(app):
    """The check fails on a page that runs one query per row (it can fail)."""

    @app.get("/_test/per-row")
    def per_row():
        ids = db.session.scalars(sa.select(User.id)).all()
        return str(sum(len(db.session.get(User, i).first_name) for i in ids))

    client = app.test_client()
    small = None
    try:
        assert_constant_queries(client, "/_test/per-row", add_accounts, rows=3)
    except AssertionError as error:
        small = str(error)
    assert small is not None and "statements with 3 rows" in small
