"""Vote storm: 50 members each send 10 identical ballots at once to gunicorn (2 workers, threads)
on PostgreSQL. Exactly one ballot per member is kept; every receipt shown is on the board."""

import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, Role, Round, SignIn
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases

from .. import factories
from ..factories_voting import add_member, make_proposal, make_round
from ..pg import database_url
from ..stack import free_port, wait_until_up
from .helpers import fetch_board, ready_voter, receipt_of, send_ballot

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

MEMBERS = 50
TRIES = 10
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gunicorn(pg_app, tmp_path):
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    env = dict(os.environ, PDV_DATABASE_URL=database_url(), PDV_DB_POOL_SIZE="6",
               PDV_SECRET_KEY="storm-test-secret-key-0123456789abcdef")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "8",
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "pdvsolutions:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, timeout=60)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        print((tmp_path / "gunicorn.log").read_text()[-3000:])


def test_vote_storm_keeps_exactly_one_ballot_per_member(pg_app, gunicorn):
    seed = random.SystemRandom().randrange(2**32)
    print(f"vote storm seed: {seed}")
    rng = random.Random(seed)
    with pg_app.app_context():
        round_ = make_round(envelope_cents=1_000_000_00)
        proposals = [make_proposal(round_, f"Action {n}", 10_000_00 * n).id for n in range(1, 6)]
        members = [add_member(round_, factories.make_user(Role.RESIDENT)) for _ in range(MEMBERS)]
        phases.change_phase(round_, Phase.VOTE, factories.make_user(Role.STAFF))
        db.session.commit()
        round_id, emails = round_.id, [m.email for m in members]

    # Each member logs in once (its connection closed afterwards), then every copy of its
    # ballot goes out on a new connection, as the open-vote storm does. A client that reuses an
    # idle kept-alive connection races the server closing it (gunicorn's keepalive of 5 s):
    # under load, the request then meets a reset before the server read it. Browsers resend a
    # request lost that way on a reused connection; a test client does not, so it must not
    # reuse one.
    voters = [ready_voter(gunicorn, email, proposals, rng) for email in emails]

    def send(voter):
        cookies, form = voter
        return send_ballot(gunicorn, round_id, cookies, form)

    jobs = [voter for voter in voters for _ in range(TRIES)]
    rng.shuffle(jobs)
    with ThreadPoolExecutor(max_workers=40) as pool:
        responses = list(pool.map(send, jobs))

    statuses = [r.status_code for r in responses]
    assert not [s for s in statuses if s >= 500], f"server errors: {statuses}"
    receipts = [receipt for r in responses if (receipt := receipt_of(r))]
    assert len(receipts) == MEMBERS, f"statuses: {sorted(set(statuses))}"
    assert all(s in (200, 302) for s in statuses)

    with pg_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == MEMBERS
        assert db.session.scalar(sa.select(sa.func.count(SignIn.id))) == MEMBERS
        assert db.session.scalar(
            sa.select(sa.func.count(sa.distinct(SignIn.user_id)))) == MEMBERS
        phases.change_phase(db.session.get(Round, round_id), Phase.RESULTS,
                            factories.make_user(Role.STAFF))
        db.session.commit()
    board = fetch_board(gunicorn, round_id)
    assert sorted(b["tracker"] for b in board["ballots"]) == sorted(receipts)
    assert [b["position"] for b in board["ballots"]] == list(range(1, MEMBERS + 1))
    assert board["signins"] == MEMBERS
