"""Every GET of the access table, crawled as each persona, changes nothing in the database
and carries the security headers.

A GET that writes (a counter, a "seen" flag, a lazily created row) is a CSRF hole by design: an
image tag on another site could trigger it. The crawl snapshots every row of every table before
and after each request. One write is by design: a refused access (403) is recorded in the audit
log as ``access.denied`` (the security log of who tried what); those rows are the only change
allowed, and rows already there must stay as they were.
"""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent

from ..access.matrix import all_cases, login_as, persona_names
from ..access.world import rebind
from . import snapshot
from .test_security_headers import assert_security_headers

GETS = [case for case in all_cases() if case.method == "GET"]


@pytest.mark.parametrize("persona", persona_names())
def test_get_crawl_changes_nothing(world_app_shared, persona):
    app, world = world_app_shared
    client = app.test_client()
    with app.app_context():
        world = rebind(world)
        login_as(client, world.users[persona])
        before = snapshot.rows()
    statuses = {}
    for case in GETS:
        with app.app_context():
            url = case.resolve_url(rebind(world))
        response = client.get(url)
        statuses[case.id] = response.status_code
        where = f"{case.id} as {persona} ({response.status_code})"
        assert response.status_code < 500, where
        assert_security_headers(response, where)
        with app.app_context():
            after = snapshot.rows()
            denied = denied_access_rows()
        changed = sorted(name for name in before if before[name] != after[name])
        if changed == ["audit_events"] and response.status_code == 403:
            added = set(after["audit_events"]) - set(before["audit_events"])
            assert set(before["audit_events"]) <= set(after["audit_events"]), where
            assert added and added <= denied, f"GET {case.id} as {persona}: {added}"
            changed = []
        assert not changed, f"GET {case.id} as {persona} changed the tables {changed}"
        before = after
    # The crawl is not vacuous: each persona reads at least the public pages.
    assert sum(1 for status in statuses.values() if status == 200) >= 10, statuses


def denied_access_rows() -> set[tuple]:
    table = AuditEvent.__table__
    query = sa.select(table).where(table.c.action == "access.denied")
    return set(map(tuple, db.session.execute(query).all()))
