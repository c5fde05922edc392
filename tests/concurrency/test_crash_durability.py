"""Crash: ``kill -9`` of every gunicorn process at a seeded random moment of a ballot storm.

After the restart, every receipt a client received with a 2xx is on the board, no ballot is
partial (lines present, ballots == sign-ins), voters who retry get "already voted" or their
first ballot, never a second one, and the audit chain and the board chain verify (see
crash.py for the checks, all through the public board and tools).
Sizes: PDV_STORM_CRASH_BALLOTS (CI 40, full 500), PDV_STORM_CRASH_SEEDS (CI 1, full 5).
"""

import time

import pytest

from ..stack import running_stack
from .crash import check_after_crash, retry_until_answered, storm_with_fault
from .helpers import (
    SECRET_KEY,
    fresh_database,
    open_vote_round,
    ready_voters,
    require_redis_url,
    seeded,
    size,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BALLOTS = size("CRASH_BALLOTS", 40, 500)
SEEDS = size("CRASH_SEEDS", 1, 5)


@pytest.mark.parametrize("run", range(SEEDS))
def test_kill9_during_ballot_storm_loses_no_receipt_and_no_ballot_is_partial(run, tmp_path):
    rng = seeded(f"crash run {run}")
    redis_url = require_redis_url()
    url, app = fresh_database()
    round_id, emails, proposals = open_vote_round(app, BALLOTS, rng)
    after = rng.randrange(BALLOTS // 10, BALLOTS * 9 // 10)
    env = {"PDV_SECRET_KEY": SECRET_KEY}
    started = time.monotonic()
    with running_stack(url, redis_url, workers=4, env=env) as stack:
        voters = ready_voters(stack.url, emails, proposals, rng)
        answers = storm_with_fault(stack.url, round_id, voters, after=after, fault=stack.kill9)
    # A new stack (new port): the session cookies stay valid, the secret key is the same.
    with running_stack(url, redis_url, workers=4, env=env) as stack:
        retries = retry_until_answered(stack.url, round_id, voters, answers)
        figures = check_after_crash(app, url, stack.url, round_id, voters, answers, retries,
                                    after, tmp_path)
    print(f"crash run {run}: kill -9; {figures.line()}; {time.monotonic() - started:.1f} s")
