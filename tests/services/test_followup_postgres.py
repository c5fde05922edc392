"""Two concurrent requests on PostgreSQL: the envelope holds.

The double evaluation race is forced in tests/concurrency/test_evaluation_pg.py."""

import threading
import time

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Grant, Role
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import grants

from .. import factories
from .. import factories_followup as ff
from ..access.matrix import login_as
from ..conftest import csrf_token

pytestmark = pytest.mark.postgres


def _race(app, user_id, requests):
    """Send each (url, data) from its own logged-in client at the same instant."""
    from pdvsolutions.models import User

    clients = []
    for url, data in requests:
        client = app.test_client()
        with app.app_context():
            login_as(client, db.session.get(User, user_id))
        # Outside any app context: each request gets its own ``g`` (and CSRF token).
        clients.append((client, url, {**data, "csrf_token": csrf_token(client, url)}))
    barrier = threading.Barrier(len(clients))
    statuses = []

    def send(client, url, data):
        barrier.wait()
        statuses.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=send, args=item) for item in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_concurrent_grants_never_exceed_envelope(pg_app, monkeypatch):
    # Widen the window between reading what is left of the envelope and writing the grant,
    # so that without the row lock both requests would fit in it.
    check = grants._check_years
    monkeypatch.setattr(grants, "_check_years", lambda *a: (time.sleep(0.5), check(*a)))
    with pg_app.app_context():
        staff = factories.make_user(Role.STAFF)
        round_ = ff.make_round(Phase.FOLLOW_UP, envelope_cents=5_000_000)
        org = ff.make_organization()
        first = ff.make_proposal(round_, org, title="A", requested_cents=3_000_000)
        second = ff.make_proposal(round_, org, title="B", requested_cents=3_000_000)
        db.session.commit()
        ids, staff_id = (first.id, second.id), staff.id
    form = {"reference": "DEL-X", "decided_on": "2026-03-02", "amount": "30000",
            "year_1": "2026", "year_amount_1": "30000"}
    statuses = _race(pg_app, staff_id, [
        (f"/agents/suivi/propositions/{pid}/convention", form) for pid in ids])
    assert 500 not in statuses
    with pg_app.app_context():
        total = db.session.scalar(sa.select(sa.func.sum(Grant.amount_cents)))
        assert db.session.scalar(sa.select(sa.func.count(Grant.id))) == 1
        assert total == 3_000_000

