"""The fund balance never goes negative, even under two concurrent decisions (PostgreSQL)."""

import threading
import time
from datetime import date

import pytest

from pdvsolutions.errors import DomainError
from pdvsolutions.extensions import db
from pdvsolutions.models import DecisionOutcome, Fund, Grant, Prospect, Role, User
from pdvsolutions.services import funds
from tests import factories
from tests.factories_funds import make_fund, make_sprint

from ..conftest import count

pytestmark = pytest.mark.postgres


def test_fund_balance_never_negative_under_two_concurrent_decisions(pg_app):
    with pg_app.app_context():
        staff = factories.make_user(Role.STAFF)
        fund = make_fund(1_000_000)
        prospects = [make_sprint(pitched=True).prospect_id for _ in range(2)]
        db.session.commit()
        ids = {"fund": fund.id, "staff": staff.id}
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(prospect_id: int) -> None:
        with pg_app.app_context():
            prospect = db.session.get(Prospect, prospect_id)
            actor = db.session.get(User, ids["staff"])
            barrier.wait()
            try:
                funds.decide_funding(
                    prospect, actor, fund_id=ids["fund"], outcome=DecisionOutcome.FUNDED,
                    committee="Comité", decided_on=date(2026, 4, 1), amount_cents=700_000,
                    reason="Pitch réussi")
                # Hold the transaction open: without the row lock the other one would
                # read the same balance now and overspend.
                time.sleep(0.5)
                db.session.commit()
                outcomes.append("funded")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(pid,)) for pid in prospects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["funded", "refused"]
    with pg_app.app_context():
        fund = db.session.get(Fund, ids["fund"])
        assert funds.balance_cents(fund) == 300_000
        assert count(Grant) == 1
