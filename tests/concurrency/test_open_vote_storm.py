"""Open-vote storm, two browsers of one member and replayed ballots on the production stack
(gunicorn 4 workers, PostgreSQL, Redis rate limits): one ballot per person, whatever arrives.

Sizes: PDV_STORM_VOTERS × PDV_STORM_COPIES (CI 40 × 5, full 200 × 20), PDV_STORM_TRIALS
(CI 10, full 50), PDV_STORM_REPLAYS (10). PDV_STORM_FULL=1 runs the full sizes.
"""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ..stack import running_stack
from .helpers import (
    SECRET_KEY,
    Browser,
    ballot_form,
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

VOTERS = size("VOTERS", 40, 200)
COPIES = size("COPIES", 5, 20)
TRIALS = size("TRIALS", 10, 50)
REPLAYS = size("REPLAYS", 10, 10)
ALREADY_VOTED = "/comite/"
#: The worker (pid) and the request id of each line of gunicorn's access log.
ACCESS_LINE = re.compile(r"pid=<(\d+)> rid=([0-9a-f]+)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """4 gunicorn workers on a fresh migrated schema; the app for direct checks."""
    redis_url = require_redis_url()
    url, app = fresh_database()
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with running_stack(url, redis_url, workers=4, log_path=log_path,
                       env={"PDV_SECRET_KEY": SECRET_KEY}) as running:
        running.app, running.log_path = app, log_path
        yield running
    errors = [line for line in log_path.read_text().splitlines() if "Traceback" in line
              or '" 5' in line]
    print(f"gunicorn log: {len(errors)} error lines")


def test_open_vote_storm_keeps_one_ballot_per_voter(stack):
    rng = seeded("open-vote storm")
    round_id, emails, proposals = open_vote_round(stack.app, VOTERS, rng)
    voters = [ready_voter(stack.url, email, proposals, rng) for email in emails]
    jobs = [voter for voter in voters for _ in range(COPIES)]
    rng.shuffle(jobs)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=40) as pool:
        responses = list(pool.map(lambda job: send_ballot(stack.url, round_id, *job), jobs))
    duration = time.monotonic() - started
    statuses = [r.status_code for r in responses]
    receipts = [t for t in map(receipt_of, responses) if t]
    found = counts(stack.app, round_id)
    print(f"storm: {VOTERS} voters × {COPIES} copies = {len(jobs)} POSTs in {duration:.1f} s; "
          f"{found}; receipts {len(receipts)}; 5xx {sum(s >= 500 for s in statuses)}")

    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) <= {200, 302}
    assert all(r.headers["location"] == ALREADY_VOTED for r in responses if r.status_code == 302)
    assert found == {"ballots": VOTERS, "signins": VOTERS, "voters": VOTERS,
                     "without_lines": 0}
    assert len(receipts) == len(set(receipts)) == VOTERS
    close_vote(stack.app, round_id)
    board = fetch_board(stack.url, round_id)
    assert sorted(b["tracker"] for b in board["ballots"]) == sorted(receipts)
    assert board["signins"] == VOTERS


def test_same_member_in_two_browsers_at_once_keeps_one_ballot(stack):
    rng = seeded("two browsers")
    round_id, emails, proposals = open_vote_round(stack.app, TRIALS, rng)
    outcomes, pairs = [], []
    for email in emails:
        browsers = [Browser(stack.url).login(email) for _ in range(2)]
        forms = [ballot_form(b.token("/comite/"), rng.sample(proposals, 2)) for b in browsers]
        barrier = threading.Barrier(2, timeout=60)

        def fire(index, browsers=browsers, forms=forms, barrier=barrier):
            barrier.wait()
            return send_ballot(stack.url, round_id, browsers[index].cookies, forms[index])

        with ThreadPoolExecutor(max_workers=2) as pool:
            responses = list(pool.map(fire, range(2)))
        for browser in browsers:
            browser.close()
        outcomes.append(sorted(r.status_code for r in responses))
        pairs.append([r.headers["x-request-id"] for r in responses])
        assert sum(receipt_of(r) is not None for r in responses) == 1
    time.sleep(0.5)  # the workers flush their access lines
    worker_of = {rid: pid for pid, rid in ACCESS_LINE.findall(stack.log_path.read_text())}
    apart = sum(worker_of[first] != worker_of[second] for first, second in pairs)
    print(f"two browsers: {TRIALS} trials, "
          f"{outcomes.count([200, 302])} times one receipt and one 'already voted', "
          f"{apart} times the two POSTs in two different workers")
    # The race this test is for is between workers: at least one pair must have crossed.
    assert apart >= 1
    assert counts(stack.app, round_id) == {"ballots": TRIALS, "signins": TRIALS,
                                           "voters": TRIALS, "without_lines": 0}


def test_replayed_ballot_post_keeps_one_ballot(stack):
    rng = seeded("replay")
    round_id, emails, proposals = open_vote_round(stack.app, 1, rng)
    cookies, form = ready_voter(stack.url, emails[0], proposals, rng)
    first = send_ballot(stack.url, round_id, cookies, form)
    in_sequence = [send_ballot(stack.url, round_id, cookies, form) for _ in range(REPLAYS - 1)]
    with ThreadPoolExecutor(max_workers=REPLAYS) as pool:
        in_parallel = list(pool.map(lambda _: send_ballot(stack.url, round_id, cookies, form),
                                    range(REPLAYS)))
    assert receipt_of(first) is not None
    assert [(r.status_code, r.headers.get("location")) for r in in_sequence + in_parallel] == \
        [(302, ALREADY_VOTED)] * (2 * REPLAYS - 1)
    assert counts(stack.app, round_id) == {"ballots": 1, "signins": 1, "voters": 1,
                                           "without_lines": 0}
