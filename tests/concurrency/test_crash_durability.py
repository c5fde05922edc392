"""Crash: ``kill -9`` of every gunicorn process at a seeded random moment of a ballot storm.

After the restart, every receipt a client received with a 2xx is in the urn and, once the vote
is closed, on the board; no ballot is partial (ballots == sign-ins, each ballot one row whose
content matches its tracker, lines written at closing), voters who retry get "already voted" or
their first ballot, never a second one, and the audit chain and the board chain verify.
Sizes: PDV_STORM_CRASH_BALLOTS (CI 60, full 500), PDV_STORM_CRASH_SEEDS (CI 1, full 5).
"""

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, wait

import httpx
import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, Role, Round
from pdvsolutions.rules import board as board_rules
from pdvsolutions.services import audit, voting

from .. import factories
from ..stack import ROOT, running_stack
from .helpers import (
    SECRET_KEY,
    close_vote,
    counts,
    fetch_board,
    fresh_database,
    open_vote_round,
    ready_voter,
    receipt_of,
    require_redis_url,
    seeded,
    send_ballot,
    size,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BALLOTS = size("CRASH_BALLOTS", 60, 500)
SEEDS = size("CRASH_SEEDS", 1, 5)
#: Rough time of one ballot on this stack, to draw the kill inside the storm.
SECONDS_PER_BALLOT = 0.06


def _storm_then_kill(stack, round_id: int, voters: list, delay: float) -> list:
    """Send every ballot from 20 threads; kill -9 the stack after ``delay`` seconds."""
    answers: list = [None] * len(voters)

    def send(index: int) -> None:
        try:
            answers[index] = send_ballot(stack.url, round_id, *voters[index])
        except httpx.TransportError:
            answers[index] = None  # the connection died with the server: no answer

    with ThreadPoolExecutor(max_workers=20) as pool:
        futures = [pool.submit(send, i) for i in range(len(voters))]
        time.sleep(delay)
        answered = sum(a is not None for a in answers)
        stack.kill9()
        wait(futures)
    print(f"kill -9 after {delay:.2f} s: {answered} answers before the kill")
    return answers


def _trackers(app, round_id: int) -> set[str]:
    with app.app_context():
        found = set(db.session.scalars(sa.select(Ballot.tracker)
                                       .where(Ballot.round_id == round_id)))
        db.session.remove()
    return found


def _sealed_intact(app, round_id: int) -> bool:
    """Every ballot in the urn is whole: its content and nonce give its tracker."""
    with app.app_context():
        rows = db.session.execute(sa.select(Ballot.tracker, Ballot.content, Ballot.nonce)
                                  .where(Ballot.round_id == round_id)).all()
        db.session.remove()
    return all(board_rules.tracker(content, nonce) == tracker for tracker, content, nonce in rows)


def _publish(app, round_id: int) -> None:
    with app.app_context():
        staff = factories.make_user(Role.STAFF)
        round_ = db.session.get(Round, round_id)
        voting.tally_round(round_, staff)
        voting.publish_results(round_, staff)
        db.session.commit()
        broken = audit.verify_chain()
        db.session.remove()
        db.engine.dispose()
    assert broken is None, f"audit chain broken at event {broken.id}"


@pytest.mark.parametrize("run", range(SEEDS))
def test_kill9_during_ballot_storm_loses_no_receipt_and_no_ballot_is_partial(run, tmp_path):
    rng = seeded(f"crash run {run}")
    redis_url = require_redis_url()
    url, app = fresh_database()
    round_id, emails, proposals = open_vote_round(app, BALLOTS, rng)
    env = {"PDV_SECRET_KEY": SECRET_KEY}
    started = time.monotonic()
    with running_stack(url, redis_url, workers=4, env=env) as stack:
        voters = [ready_voter(stack.url, email, proposals, rng) for email in emails]
        answers = _storm_then_kill(stack, round_id, voters,
                                   rng.uniform(0.1, BALLOTS * SECONDS_PER_BALLOT))
    assert [a.status_code for a in answers if a is not None and a.status_code >= 500] == []
    received = {i: receipt_of(a) for i, a in enumerate(answers) if a is not None and receipt_of(a)}

    after_crash = counts(app, round_id)
    assert after_crash["ballots"] == after_crash["signins"] == after_crash["voters"]
    assert _sealed_intact(app, round_id), "a ballot in the urn does not match its tracker"
    assert set(received.values()) <= _trackers(app, round_id), "a received receipt was lost"

    with running_stack(url, redis_url, workers=4, env=env) as stack:
        retries = [send_ballot(stack.url, round_id, *voter) for voter in voters]
        for index in received:
            assert (retries[index].status_code, retries[index].headers.get("location")) == \
                (302, "/comite/"), "a voter with a receipt could vote again"
        assert [r.status_code for r in retries if r.status_code >= 500] == []
        receipts = set(received.values()) | {t for t in map(receipt_of, retries) if t}
        close_vote(app, round_id)
        assert counts(app, round_id) == {"ballots": BALLOTS, "signins": BALLOTS,
                                         "voters": BALLOTS, "without_lines": 0}
        _publish(app, round_id)
        board = fetch_board(stack.url, round_id)
    print(f"crash run {run}: {BALLOTS} voters, {len(received)} receipts before the kill, "
          f"{after_crash['ballots']} ballots stored at the kill, "
          f"{sum(r.status_code == 302 for r in retries)} 'already voted' on retry, "
          f"{time.monotonic() - started:.1f} s")

    assert board_rules.verify_chain(board["ballots"]) == []
    # A ballot committed just before the kill may have lost its answer: on the board, unseen.
    assert receipts <= {b["tracker"] for b in board["ballots"]}
    assert len(board["ballots"]) == board["signins"] == BALLOTS
    path = tmp_path / "board.json"
    path.write_text(json.dumps(board), encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_board.py"), str(path), "--lang", "en",
         *[arg for tracker in sorted(received.values()) for arg in ("--receipt", tracker)]],
        capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 0, checked.stdout[-3000:]
