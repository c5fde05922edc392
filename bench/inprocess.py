"""In-process benchmark: Python work per request of the ballot POST, the home page and the
public list of needs (``--needs`` of them) and, once the vote is closed and published, the
results page, a page of the public board and the board JSON, beside the bare route, on PostgreSQL, without gunicorn or wrk.

On a shared machine the web benchmark (``bench/web.py``) moves with the load of the other
processes: the CPU time per answer it reads changed by half from one run to the next. This one
runs every request in this process through Flask's test client, one at a time, and prints for
each route:

* the **Python function calls** per request (cProfile's count): the same from one run to the
  next whatever the load, so it shows what a change of code saves;
* the **CPU time** per request of this process (``time.process_time``, without the profiler)
  and of the PostgreSQL backends of the bench database (from /proc), each with its ratio to the
  bare route measured in the same run.

    python bench/inprocess.py [--voters 400] [--needs 1000]
                              [--database-url postgresql://…/pdv_bench]

After the POST comes the ballot's transaction alone, called through the service layer as the
view calls it (user load, both locks, sign-in, ballot, e-mail receipt, audit, commit) without
HTTP, session cookie, CSRF check or template: the floor of the POST with this database work.
The last two rows are one round trip to PostgreSQL (``SELECT 1`` in an open transaction),
through psycopg and through SQLAlchemy Core: the ballot makes 13 (pool ping, BEGIN,
10 statements, COMMIT).

The schema of ``--database-url`` is dropped and created again. Each ballot is cast by its own
voter, logged in beforehand (logging in is not measured).
"""

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ["PDV_BENCH"] = "1"  # the bare route /_bench/hello

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from procstat import TICK_MS, cpu_ticks, database_backends  # noqa: E402

from pdvsolutions import create_app  # noqa: E402
from pdvsolutions.extensions import db  # noqa: E402
from pdvsolutions.models import Need, Round, User  # noqa: E402
from pdvsolutions.rules.phases import Phase  # noqa: E402
from pdvsolutions.services import phases, voting  # noqa: E402
from tests import factories  # noqa: E402
from tests import factories_needs as fneeds  # noqa: E402
from tests import factories_voting as fvote  # noqa: E402
from tests.pg import reset_schema  # noqa: E402
from tests.stack import psycopg_url  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def backend_cpu_ms(engine) -> float:
    """CPU time so far of the app's PostgreSQL backends on the bench database."""
    return sum(cpu_ticks(pid) for pid in database_backends(engine)) * TICK_MS


def measure(engine, requests: list) -> tuple[float, float]:
    """(CPU ms of this process, CPU ms of PostgreSQL) per request, without the profiler."""
    pg_before, before = backend_cpu_ms(engine), time.process_time()
    for send in requests:
        send()
    spent = (time.process_time() - before) * 1000
    return spent / len(requests), (backend_cpu_ms(engine) - pg_before) / len(requests)


def calls(requests: list) -> float:
    """Python function calls per request, counted by cProfile."""
    profile = cProfile.Profile()
    profile.enable()
    for send in requests:
        send()
    profile.disable()
    return pstats.Stats(profile).total_calls / len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/pdv_bench")
    parser.add_argument("--voters", type=int, default=400,
                        help="ballots per measure (two measures: time, then calls)")
    parser.add_argument("--needs", type=int, default=1000,
                        help="needs of the round whose public list is measured")
    args = parser.parse_args()
    from prodstack import ensure_database

    ensure_database(args.database_url)
    url = psycopg_url(args.database_url)
    reset_schema(url)
    probe = sa.create_engine(url, poolclass=sa.pool.NullPool)
    app = create_app({"SECRET_KEY": os.urandom(32).hex(), "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "PUBLIC_BASE_URL": "http://localhost"})
    with app.app_context():
        db.create_all()
        factories.base_world()
        world = fvote.vote_world(members=3 * args.voters)
        db.session.commit()
        round_id, staff_id = world["round"].id, world["staff"].id
        chosen = [str(p.id) for p in world["proposals"][1:]]
        logins = [user.email for user in world["members"][:2 * args.voters]]
        direct = [user.id for user in world["members"][2 * args.voters:]]
        needs_round = fneeds.make_round(title="Appel aux solutions du bench")
        field_ids = [f.id for f in needs_round.fields]
        author = world["members"][0].id
        db.session.execute(sa.insert(Need), [
            {"round_id": needs_round.id, "author_id": author, "field_id": field_ids[i % 5],
             "title": f"Solution attendue numéro {i}", "description": "Une solution du bench.",
             "support_count": (i * 7919) % 97} for i in range(args.needs)])
        db.session.commit()
        needs_round_id, one_field = needs_round.id, field_ids[2]
    voters = []
    for login in logins:
        client = app.test_client()
        page = client.get("/connexion").get_data(as_text=True)
        client.post("/connexion", data={"identifier": login, "password": factories.PASSWORD,
                                        "csrf_token": TOKEN.search(page).group(1)})
        page = client.get(f"/comite/appels/{round_id}/bulletin").get_data(as_text=True)
        voters.append((client, TOKEN.search(page).group(1)))

    def ballot(client, token):
        def send():
            response = client.post(f"/comite/appels/{round_id}/bulletin",
                                   data={"csrf_token": token, "proposal": chosen})
            assert response.status_code == 200, response.status_code
        return send

    def get(client, path):
        def send():
            assert client.get(path).status_code == 200
        return send

    def transaction(user_id):
        """The ballot's transaction alone, through the service layer: no HTTP, session
        cookie, CSRF or template; the same user load, locks and writes as the POST."""
        def send():
            with app.app_context():
                member = db.session.get(User, user_id)
                round_ = voting.lock_round(round_id)
                standing = voting.lock_roll(round_, member)
                voting.cast_ballot(round_, member, {int(pid): 1 for pid in chosen},
                                   standing=standing, email_receipt=True)
                db.session.commit()
        return send

    reader, anonymous = voters[0][0], app.test_client()
    needs_list = f"/appels/{needs_round_id}/solutions"
    routes = {
        "bare /_bench/hello": lambda: [get(reader, "/_bench/hello")] * args.voters,
        "home / (logged in)": lambda: [get(reader, "/")] * args.voters,
        "needs list (anonymous)": lambda: [get(anonymous, needs_list)] * args.voters,
        "needs list, one field, page 5": lambda: [
            get(anonymous, f"{needs_list}?thematique={one_field}&page=5")] * args.voters,
    }
    ballots = [ballot(client, token) for client, token in voters]
    for _name, requests in routes.items():
        requests()[0]()  # warm-up
    rows = []
    for name, requests in routes.items():
        rows.append((name, *measure(probe, requests()), calls(requests())))
    rows.append((f"ballot POST ({args.voters} voters)", *measure(probe, ballots[:args.voters]),
                 calls(ballots[args.voters:])))
    transactions = [transaction(user_id) for user_id in direct]
    half = args.voters // 2
    rows.append((f"ballot transaction alone ({half})", *measure(probe, transactions[:half]),
                 calls(transactions[half:])))
    # Then the vote is closed, tallied and published: the results page, with every ballot in.
    with app.app_context():
        round_, staff = db.session.get(Round, round_id), db.session.get(User, staff_id)
        phases.change_phase(round_, Phase.RESULTS, staff)
        voting.tally_round(round_, staff)
        voting.publish_results(round_, staff)
        db.session.commit()
        cast = voting.ballot_count(round_)
    results = [get(anonymous, f"/appels/{round_id}/resultats")] * args.voters
    results[0]()  # warm-up
    rows.append((f"results page ({cast} ballots)", *measure(probe, results), calls(results)))
    for name, path in ((f"board page 3 ({cast} ballots)",
                        f"/appels/{round_id}/bulletins?page=3"),
                       (f"board JSON ({cast} ballots)", f"/appels/{round_id}/bulletins.json")):
        board = [get(anonymous, path)] * max(10, args.voters // 10)
        board[0]()  # warm-up
        rows.append((name, *measure(probe, board), calls(board)))
    # What one of the ballot's 13 round trips (pool ping, BEGIN, 10 statements, COMMIT)
    # costs at least, in an open transaction: through the driver, then through SQLAlchemy Core.
    with psycopg.connect(args.database_url) as raw, probe.connect() as core:
        cursor, one = raw.cursor(), sa.text("SELECT 1")
        trips = {"round trip: psycopg": lambda: cursor.execute("SELECT 1").fetchall(),
                 "round trip: SQLAlchemy Core": lambda: core.execute(one).all()}
        for name, trip in trips.items():
            trip()  # opens the transaction
            rows.append((name, *measure(probe, [trip] * args.voters),
                         calls([trip] * args.voters)))
    bare_cpu, _bare_pg, bare_calls = rows[0][1:]
    print(f"{os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f}; "
          f"{args.voters} requests per measure")
    print(f"{'route':32} {'calls':>8} {'vs bare':>8} {'CPU ms':>7} {'vs bare':>8} "
          f"{'PG ms':>6}")
    for name, cpu, pg, count in rows:
        print(f"{name:32} {count:8.0f} {count / bare_calls:7.1f}x {cpu:7.2f} "
              f"{cpu / bare_cpu:7.1f}x {pg:6.2f}")


if __name__ == "__main__":
    main()
