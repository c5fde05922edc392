"""Crash: immediate stop of PostgreSQL (``pg_ctl stop -m immediate``: no checkpoint) at a seeded
random moment of a ballot storm, on a private cluster (never the machine's shared server).

gunicorn keeps running: while the database is down it answers 503 (never 500); after the
restart its pool reconnects. Then every receipt a client received is on the board, no ballot is
partial, clients that retry get their first ballot or "already voted", never a second one, and
the audit chain and the board chain verify (see crash.py for the checks).
Sizes: PDV_STORM_PGSTOP_BALLOTS (CI 40, full 500), PDV_STORM_PGSTOP_SEEDS (CI 1, full 5).
"""

import pytest

from ..pgcluster import private_cluster
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

BALLOTS = size("PGSTOP_BALLOTS", 40, 500)
SEEDS = size("PGSTOP_SEEDS", 1, 5)


@pytest.mark.parametrize("run", range(SEEDS))
def test_postgres_immediate_stop_during_ballot_storm_loses_no_receipt(run, tmp_path):
    rng = seeded(f"postgres stop run {run}")
    redis_url = require_redis_url()
    with private_cluster() as cluster:
        url, app = fresh_database(cluster.url)
        round_id, emails, proposals = open_vote_round(app, BALLOTS, rng)
        after = rng.randrange(BALLOTS // 10, BALLOTS * 9 // 10)
        downtime = rng.uniform(0.5, 3.0)
        with running_stack(url, redis_url, workers=4, env={"PDV_SECRET_KEY": SECRET_KEY},
                           log_path=tmp_path / "gunicorn.log") as stack:
            voters = ready_voters(stack.url, emails, proposals, rng)
            answers = storm_with_fault(stack.url, round_id, voters, after=after,
                                       fault=cluster.stop_immediate, downtime=downtime,
                                       recover=cluster.start)
            retries = retry_until_answered(stack.url, round_id, voters, answers)
            figures = check_after_crash(app, url, stack.url, round_id, voters, answers, retries,
                                        after, tmp_path)
        recovered = "redo done" in cluster.log_text() or "redo starts" in cluster.log_text()
    print(f"postgres stop run {run}: stopped {downtime:.1f} s, WAL replayed: {recovered}; "
          f"{figures.line()}")
