"""Closing the vote while a ballot is being written: both finish, no deadlock (PostgreSQL).

Found by bench/web.py (issue 9): the phase change locked the round row FOR UPDATE, which also
blocks the foreign-key checks (FOR KEY SHARE) of a ballot's inserts, while the ballot held the
voter roll that the close wanted: PostgreSQL aborted one of the two ("deadlock detected"), a
500 for the voter or for the staff member.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, Round, User, VoterRoll
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from ..factories_voting import vote_world

pytestmark = pytest.mark.postgres


def _waiting_on_a_lock(app) -> bool:
    with app.app_context():
        return bool(db.session.scalar(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")))


def test_closing_the_vote_during_a_ballot_waits_instead_of_deadlocking(pg_app):
    with pg_app.app_context():
        world = vote_world(members=1)
        db.session.commit()
        ids = {"round": world["round"].id, "member": world["members"][0].id,
               "staff": world["staff"].id, "proposal": world["proposals"][0].id}
    roll_locked = threading.Event()
    errors: list[BaseException] = []

    def ballot():
        try:
            with pg_app.app_context():
                round_ = db.session.get(Round, ids["round"])
                # The ballot's transaction holds the voter roll first, as cast_ballot does...
                db.session.execute(sa.select(VoterRoll.id).where(
                    VoterRoll.round_id == round_.id).with_for_update())
                roll_locked.set()
                deadline = time.monotonic() + 20
                while not _waiting_on_a_lock(pg_app) and time.monotonic() < deadline:
                    time.sleep(0.05)
                # ...and writes the sign-in and the ballot while the close waits for the roll.
                voting.cast_ballot(round_, db.session.get(User, ids["member"]),
                                   {ids["proposal"]: 1})
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    def close():
        try:
            roll_locked.wait(20)
            with pg_app.app_context():
                phases.change_phase(db.session.get(Round, ids["round"]), Phase.RESULTS,
                                    db.session.get(User, ids["staff"]))
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=ballot), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with pg_app.app_context():
        round_ = db.session.get(Round, ids["round"])
        assert round_.phase is Phase.RESULTS
        assert voting.roll_of(round_).closed_at is not None
        assert db.session.scalar(sa.select(sa.func.count(Ballot.id))
                                 .where(Ballot.round_id == round_.id)) == 1
