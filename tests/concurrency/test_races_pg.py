"""Two staff members (or a resident and a staff member) acting on the same row at once, on
PostgreSQL, each race forced open: the first request pauses inside its transaction while the
second arrives. The row locks taken before the checks make the second one see the first's
outcome. Found by the mixed race (test_mixed_race.py), pinned down here."""

import threading
import time

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import FundingDecision, Need, NeedStatus, Role, Support
from pdvsolutions.services import funds as funds_service
from pdvsolutions.services import needs as needs_service

from .. import factories
from ..conftest import Auth, csrf_token
from ..factories_funds import make_fund, make_sprint
from ..factories_needs import make_need, make_round
from .invariants import check_invariants

pytestmark = pytest.mark.postgres

#: Long enough for the other request to reach its own checks while this one holds its locks.
PAUSE = 0.5


def _slowed(monkeypatch, module, name: str) -> None:
    """Make ``module.name`` pause once it has run: the transaction stays open meanwhile."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(module, name, slow)


def _logged_in(app, email: str):
    client = app.test_client()
    Auth(client).login(email)
    return client, csrf_token(client)


def _at_once(*requests) -> list:
    """Run the callables in threads, each started 0.1 s after the previous one."""
    responses = [None] * len(requests)

    def run(index):
        responses[index] = requests[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=60)
    return responses


def _needs_world(app) -> dict:
    with app.app_context():
        round_ = make_round()
        author = factories.make_user(Role.RESIDENT, email="samia@example.org")
        factories.make_user(Role.RESIDENT, email="karim@example.org")
        for email in ("agent1@example.org", "agent2@example.org"):
            factories.make_user(Role.STAFF, email=email)
        first, second = (make_need(round_, author, title=t).id for t in ("Cafards", "Punaises"))
        db.session.add(Support(need_id=first, user_id=author.id))
        db.session.commit()
    return {"first": first, "second": second}


def test_two_needs_merged_into_each_other_at_once_keep_one_visible(pg_app, monkeypatch):
    ids = _needs_world(pg_app)
    _slowed(monkeypatch, needs_service.rules, "merged_supporters")
    (one, token_one), (two, token_two) = (_logged_in(pg_app, f"agent{n}@example.org")
                                          for n in (1, 2))
    responses = _at_once(
        lambda: one.post(f"/agents/solutions/{ids['first']}/fusionner",
                         data={"merge-kept_id": ids["second"], "csrf_token": token_one}),
        lambda: two.post(f"/agents/solutions/{ids['second']}/fusionner",
                         data={"merge-kept_id": ids["first"], "csrf_token": token_two}))
    assert sorted(r.status_code for r in responses) == [302, 422]
    with pg_app.app_context():
        statuses = sorted(db.session.get(Need, i).status.value for i in ids.values())
        assert statuses == [NeedStatus.MERGED.value, NeedStatus.PUBLISHED.value]
        assert check_invariants(db) == []


def test_support_sent_while_its_need_is_merged_is_refused(pg_app, monkeypatch):
    ids = _needs_world(pg_app)
    _slowed(monkeypatch, needs_service.rules, "merged_supporters")
    staff, staff_token = _logged_in(pg_app, "agent1@example.org")
    resident, resident_token = _logged_in(pg_app, "karim@example.org")
    _at_once(
        lambda: staff.post(f"/agents/solutions/{ids['first']}/fusionner",
                           data={"merge-kept_id": ids["second"], "csrf_token": staff_token}),
        lambda: resident.post(f"/habitants/solutions/{ids['first']}/soutien",
                              data={"csrf_token": resident_token}))
    with pg_app.app_context():
        assert db.session.get(Need, ids["first"]).status is NeedStatus.MERGED
        assert db.session.scalar(sa.select(sa.func.count(Support.id))
                                 .where(Support.need_id == ids["first"])) == 0
        assert check_invariants(db) == []


def test_two_decisions_on_one_prospect_at_once_fund_it_once(pg_app, monkeypatch):
    with pg_app.app_context():
        fund_id = make_fund(100_000_00).id
        prospect_id = make_sprint(pitched=True).prospect_id
        for email in ("agent1@example.org", "agent2@example.org"):
            factories.make_user(Role.STAFF, email=email)
        db.session.commit()
    _slowed(monkeypatch, funds_service, "balance_cents")
    clients = [_logged_in(pg_app, f"agent{n}@example.org") for n in (1, 2)]

    def decide(client, token, amount):
        return lambda: client.post(f"/agents/reperage/{prospect_id}/decision", data={
            "outcome": "funded", "fund_id": fund_id, "amount": amount, "committee": "Comité",
            "decided_on": "2026-04-01", "reason": "Pitch", "csrf_token": token})

    responses = _at_once(decide(*clients[0], "30 000"), decide(*clients[1], "40 000"))
    assert [r.status_code for r in responses] == [302, 200]
    assert "Une décision est déjà enregistrée" in responses[1].get_data(as_text=True)
    with pg_app.app_context():
        decisions = db.session.scalars(sa.select(FundingDecision)).all()
        assert [d.amount_cents for d in decisions] == [30_000_00]
        assert funds_service.balance_cents(decisions[0].fund) == 70_000_00
        assert check_invariants(db) == []
