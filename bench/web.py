"""Web benchmark: each route beside a bare route served by the same gunicorn, in the same run.

Starts the production stack (``tests/stack.py``: gunicorn, PostgreSQL, Redis) on loopback with
``PDV_BENCH=1`` (which adds the bare ``/_bench/hello`` route) and measures throughput and
p50/p95/p99 latency with ``wrk`` (Debian package ``wrk``; ``bench/requests.lua`` replays a
file of requests, POSTs included, with the session cookie and CSRF token of accounts logged in
beforehand). Each figure is printed with its ratio to the bare route measured by the same
tool at the same concurrency, in the same run: absolute times on a shared machine are noise.

Two parts:

* **scale**: for each size of ``--needs`` (1,000, 10,000, 100,000 needs, ``--supports-per-need``
  supports each on average, loaded by PostgreSQL ``COPY``), the public list of needs (by
  supports and by date), a need's page and the staff moderation list at ``--scale-clients``
  concurrent clients;
* **full** (on the ``--full-at`` data set): home, list of needs, a need's page, the support
  POST, the floor of a durable POST (``/_bench/commit``: logged in, CSRF token, one committed
  transaction and nothing else) and the ballot POST (open vote, one ballot per voter: each
  voter is logged in beforehand and sends once; refused ballots are not counted) at each of
  ``--clients``; then
  the vote is closed, tallied and published, and the results page, two pages of the public
  board (the first and the tenth) and the board JSON are measured; the peak resident memory (VmHWM) of each gunicorn worker is printed after the
  ballot storm.

    python bench/web.py [--needs 1000,10000,100000] [--full-at 10000] [--clients 1,10,50]
                        [--scale-clients 10] [--duration 10] [--voters 3000]

Besides wrk's figures, each row gives the CPU time that the gunicorn workers and the
PostgreSQL backends of the bench database spent per accepted answer (from /proc, before and
after the measure) and the bare route's CPU time over it: on a shared machine where other
processes take the cores, this is the capacity ratio that queueing does not blur.

Bench accounts get a cheap PBKDF2 password hash (1,000 rounds) so that logging thousands of
voters in beforehand takes seconds; logging in is not what is measured.
"""

import argparse
import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import httpx  # noqa: E402
import pyotp  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from procstat import TICK_MS, cpu_ticks, database_backends  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from tests.pg import reset_schema  # noqa: E402
from tests.stack import flask_command, psycopg_url, running_stack  # noqa: E402

PASSWORD = "Bench-Habitant-Mot-De-Passe-2026"  # noqa: S105 - throw-away bench accounts
STAFF_LOGIN = "agent@bench.example.org"
TOTP_SECRET = "PDVBENCHAGENTTOTPSECRETAAAAAAAAA"  # noqa: S105 - throw-away bench account
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
LUA = ROOT / "bench" / "requests.lua"
RECEIPT = 'id="receipt"'
FIELDS = ["Éducation", "Emploi", "Cadre de vie", "Santé", "Culture"]


@dataclass
class DataSet:
    """Identifiers of the loaded rows."""

    needs_round_id: int = 0
    vote_round_id: int = 0
    need_ids: list[int] = field(default_factory=list)
    field_ids: list[int] = field(default_factory=list)
    proposal_ids: list[int] = field(default_factory=list)
    supporters: list[str] = field(default_factory=list)
    voters: list[str] = field(default_factory=list)
    supported: set[tuple[int, int]] = field(default_factory=set)
    user_ids: dict[str, int] = field(default_factory=dict)


def _copy(connection, table: str, columns: list[str], rows) -> None:
    """Bulk-load ``rows`` with PostgreSQL COPY (psycopg 3)."""
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608
        for row in rows:
            copy.write_row(row)


def load_data(url: str, needs: int, supports_per_need: int, supporters: int,
              voters: int) -> DataSet:
    """Fresh schema, migrations, then accounts, a round of needs with supports, an open vote."""
    from pdvsolutions import create_app
    from pdvsolutions.extensions import db
    from pdvsolutions.models import (
        LegalForm,
        Need,
        Organization,
        Proposal,
        ProposalStatus,
        Qpv,
        Role,
        Round,
        RoundField,
        Territory,
        TotpCredential,
        User,
    )
    from pdvsolutions.rules.phases import Phase
    from pdvsolutions.services import phases
    from pdvsolutions.services.territories import import_qpv

    reset_schema(psycopg_url(url))
    flask_command(url, "db", "upgrade")
    app = create_app({"SQLALCHEMY_DATABASE_URI": psycopg_url(url), "SECRET_KEY": "b" * 40})
    data = DataSet()
    rng = random.Random(2026)
    now = datetime.now(UTC)
    with app.app_context():
        import_qpv()
        qpvs = list(db.session.scalars(sa.select(Qpv).order_by(Qpv.code).limit(40)))
        territory = Territory(name="Marseille Nord", description="", qpvs=qpvs)
        db.session.add(territory)
        db.session.flush()
        password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        data.supporters = [f"habitant{i}@bench.example.org" for i in range(supporters)]
        data.voters = [f"votant{i}@bench.example.org" for i in range(voters)]
        db.session.execute(sa.insert(User), [
            {"email": login, "first_name": f"Habitant{i}", "last_name": "Test",
             "role": Role.RESIDENT, "qpv_code": rng.choice(qpvs).code,
             "password_hash": password_hash, "session_token": f"{i:032x}"}
            for i, login in enumerate(data.supporters + data.voters)])
        staff = User(email=STAFF_LOGIN, first_name="Agent", last_name="Bench", role=Role.STAFF,
                     password_hash=password_hash)
        db.session.add(staff)
        db.session.flush()
        db.session.add(TotpCredential(user_id=staff.id, secret=TOTP_SECRET, confirmed_at=now))
        data.user_ids = {email: id_ for email, id_ in db.session.execute(sa.select(User.email, User.id))}

        round_ = Round(territory_id=territory.id, title="Appel à solutions 2026",
                       envelope_cents=20_000_000, phase=Phase.NEEDS)
        db.session.add(round_)
        db.session.flush()
        fields = [RoundField(round_id=round_.id, label=label, position=i)
                  for i, label in enumerate(FIELDS)]
        db.session.add_all(fields)
        db.session.flush()
        data.needs_round_id = round_.id
        data.field_ids = [f.id for f in fields]
        supporter_ids = [data.user_ids[login] for login in data.supporters]
        connection = db.session.connection().connection.driver_connection
        _copy(connection, "needs", ["round_id", "author_id", "field_id", "title", "description",
                                    "status", "created_at"],
              ((round_.id, rng.choice(supporter_ids), rng.choice(fields).id, f"Besoin {i}",
                "Des cours du soir près du collège, avec des étudiants. " * 4,
                "published", now) for i in range(needs)))
        data.need_ids = list(db.session.scalars(
            sa.select(Need.id).where(Need.round_id == round_.id).order_by(Need.id)))
        # Supports: between 0 and twice the mean per need, from distinct residents.
        for need_id in data.need_ids:
            count = min(rng.randint(0, 2 * supports_per_need), len(supporter_ids))
            data.supported.update((need_id, u) for u in rng.sample(supporter_ids, count))
        _copy(connection, "supports", ["need_id", "user_id", "created_at"],
              ((n, u, now) for n, u in data.supported))
        db.session.execute(sa.text(
            "UPDATE needs SET support_count = counts.n FROM (SELECT need_id, count(*) AS n "
            "FROM supports GROUP BY need_id) AS counts WHERE needs.id = counts.need_id"))

        vote = Round(territory_id=territory.id, title="Vote ouvert 2026", open_vote=True,
                     envelope_cents=100_000_00, phase=Phase.REVIEW)
        organization = Organization(name="Association du quartier",
                                    legal_form=LegalForm.ASSOCIATION, siret="00000000000001")
        db.session.add_all([vote, organization])
        db.session.flush()
        proposals = [Proposal(round_id=vote.id, organization_id=organization.id,
                              title=f"Action {n}", requested_cents=10_000_00 * n,
                              status=ProposalStatus.ELIGIBLE) for n in range(1, 9)]
        db.session.add_all(proposals)
        db.session.flush()
        phases.change_phase(vote, Phase.VOTE, staff)  # freezes the roll: every resident
        data.proposal_ids = [p.id for p in proposals]
        data.vote_round_id = vote.id
        db.session.commit()
        # What autovacuum does to a table that stopped changing: statistics, visibility map.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
        db.engine.dispose()
    return data


def publish_results(url: str, round_id: int) -> int:
    """Close the vote, tally it and publish the result (the board becomes public)."""
    from pdvsolutions import create_app
    from pdvsolutions.extensions import db
    from pdvsolutions.models import Round, User
    from pdvsolutions.rules.phases import Phase
    from pdvsolutions.services import phases, voting

    app = create_app({"SQLALCHEMY_DATABASE_URI": psycopg_url(url), "SECRET_KEY": "b" * 40})
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == STAFF_LOGIN))
        round_ = db.session.get(Round, round_id)
        phases.change_phase(round_, Phase.RESULTS, staff)
        voting.tally_round(round_, staff)
        voting.publish_results(round_, staff)
        db.session.commit()
        ballots = voting.ballot_count(round_)
        db.engine.dispose()
    return ballots


def count_rows(url: str, query: str) -> int:
    engine = sa.create_engine(psycopg_url(url))
    with engine.connect() as connection:
        value = connection.execute(sa.text(query)).scalar_one()
    engine.dispose()
    return value


# -- logging in beforehand (not measured) -----------------------------------------------------

def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def _keep(jar: dict[str, str], response: httpx.Response) -> None:
    """Production cookies are Secure and the stack listens on http: carry them by hand."""
    for header in response.headers.get_list("set-cookie"):
        name, _sep, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


async def _login(client: httpx.AsyncClient, login: str, token_page: str,
                 totp: str | None = None) -> tuple[str, str]:
    """Log in through the real form (and second step); return (Cookie header, CSRF token)."""
    # A keep-alive connection closed by the server, or a page without its form (an overloaded
    # machine answering late), is retried from the start.
    for attempt in range(5):
        try:
            jar: dict[str, str] = {}
            page = await client.get("/connexion")
            _keep(jar, page)
            response = await client.post("/connexion", headers={"Cookie": _cookie_header(jar)},
                                         data={"identifier": login, "password": PASSWORD,
                                               "csrf_token": TOKEN.search(page.text).group(1)})
            _keep(jar, response)
            if totp:
                page = await client.get("/connexion/code",
                                        headers={"Cookie": _cookie_header(jar)})
                _keep(jar, page)
                response = await client.post(
                    "/connexion/code", headers={"Cookie": _cookie_header(jar)},
                    data={"code": pyotp.TOTP(totp).now(),
                          "csrf_token": TOKEN.search(page.text).group(1)})
                _keep(jar, response)
            page = await client.get(token_page, headers={"Cookie": _cookie_header(jar)})
            if page.status_code != 200:
                raise RuntimeError(f"login of {login} failed: {page.status_code}")
            _keep(jar, page)
            return _cookie_header(jar), TOKEN.search(page.text).group(1)
        except (httpx.TransportError, AttributeError, RuntimeError):
            if attempt == 4:
                raise
            await asyncio.sleep(1 + attempt)
    raise AssertionError("unreachable")


async def _login_all(base: str, logins: list[str], token_page: str,
                     totp: str | None = None) -> list[tuple[str, str]]:
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    semaphore = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def one(login):
            async with semaphore:
                return await _login(client, login, token_page, totp)

        return await asyncio.gather(*(one(login) for login in logins))


def login_all(base: str, logins: list[str], token_page: str, totp: str | None = None):
    return asyncio.run(_login_all(base, logins, token_page, totp))


# -- measuring with wrk ------------------------------------------------------------------------

@dataclass
class Result:
    requests: int
    seconds: float
    errors: int
    accepted: int
    refused: int
    p50: float
    p95: float
    p99: float
    #: CPU time of the gunicorn workers and of the PostgreSQL backends per accepted answer
    #: (ms): what a request costs the server, whatever else the machine runs meanwhile.
    cpu_ms: float = 0.0

    @property
    def rate(self) -> float:
        """Accepted answers per second (refused ballots, errors and 5xx do not count)."""
        return self.accepted / self.seconds if self.seconds else 0.0


class ServerCpu:
    """CPU used by the gunicorn workers and the PostgreSQL backends of the bench database."""

    def __init__(self, master_pid: int, database_url: str):
        self.master_pid = master_pid
        self.engine = sa.create_engine(psycopg_url(database_url), poolclass=sa.pool.NullPool)

    def pids(self) -> set[int]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        return {int(pid) for pid in children.read_text().split()} | database_backends(self.engine)

    def snapshot(self) -> dict[int, int]:
        return {pid: cpu_ticks(pid) for pid in self.pids()}

    def used_ms(self, before: dict[int, int]) -> float:
        after = self.snapshot()
        return sum(after.get(pid, 0) - before.get(pid, 0) for pid in set(after) | set(before)
                   if pid in after) * TICK_MS


class Wrk:
    """Runs ``wrk`` with ``bench/requests.lua`` on a file of requests."""

    def __init__(self, base: str, duration: int, folder: Path, cpu: ServerCpu | None = None):
        self.base, self.duration, self.folder, self.cpu = base, duration, folder, cpu
        self.files = 0

    def write(self, lines: list[tuple[str, str, str, str]]) -> Path:
        self.files += 1
        path = self.folder / f"requests{self.files}.tsv"
        path.write_text("".join("\t".join(line) + "\n" for line in lines))
        return path

    def run(self, path: Path, clients: int, *, once: bool = False, ok_status: int = 200,
            ok_text: str = "") -> Result:
        threads = min(clients, 2)
        before = self.cpu.snapshot() if self.cpu else {}
        out = subprocess.run(  # noqa: S603 - fixed argv: our URL, files and numbers, no shell
            [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{clients}",
             f"-d{self.duration}s", "--timeout", "10s", "-s", str(LUA), self.base, "--",
             str(path), "once" if once else "cycle", str(threads), str(ok_status), ok_text],
            capture_output=True, text=True, timeout=self.duration + 120, check=True,
        ).stdout
        line = next(line for line in out.splitlines() if line.startswith("RESULT"))
        requests, micros, errors, accepted, refused, p50, p95, p99 = (
            int(float(x)) for x in line.split()[1:])
        used = self.cpu.used_ms(before) if self.cpu else 0.0
        return Result(requests, micros / 1e6, errors, accepted, refused,
                      p50 / 1000, p95 / 1000, p99 / 1000, used / max(accepted, 1))

    def get(self, paths: list[str], clients: int, cookie: str = "") -> Result:
        return self.run(self.write([("GET", p, cookie, "") for p in paths]), clients)


Row = tuple[str, int, Result, Result]


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title} [load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU]")
    header = (f"{'route':40} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'sent':>7} {'refused':>7} {'vs bare':>8} {'CPU ms':>7} "
              f"{'CPU bare/route':>14}")
    print(header)
    print("-" * len(header))
    for name, clients, result, bare in rows:
        ratio = result.rate / bare.rate if bare.rate else 0.0
        print(f"{name[:40]:40} {clients:>7} {result.rate:>8.1f} {result.p50:>8.1f} "
              f"{result.p95:>8.1f} {result.p99:>8.1f} {result.requests:>7} "
              f"{result.refused + result.errors:>7} {ratio:>7.0%} {result.cpu_ms:>7.2f} "
              f"{bare.cpu_ms / result.cpu_ms if result.cpu_ms else 0:>13.0%}")
    sys.stdout.flush()


def worker_memory(master_pid: int) -> list[tuple[int, int, int]]:
    """(pid, VmHWM kB, VmRSS kB) of each child of the gunicorn master."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    found = []
    for pid in map(int, children):
        status = Path(f"/proc/{pid}/status").read_text()
        values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
        found.append((pid, int(values["VmHWM"]), int(values["VmRSS"])))
    return found


def print_memory(label: str, master_pid: int) -> None:
    rows = worker_memory(master_pid)
    peak = max(hwm for _pid, hwm, _rss in rows)
    print(f"\nworker memory {label}: "
          + ", ".join(f"pid {pid} peak {hwm / 1024:.0f} MB (now {rss / 1024:.0f} MB)"
                      for pid, hwm, rss in rows)
          + f"; highest peak {peak / 1024:.0f} MB (target < 150 MB)")


# -- the two parts -----------------------------------------------------------------------------

def need_pages(data: DataSet, rng: random.Random) -> list[str]:
    return [f"/solutions/{rng.choice(data.need_ids)}" for _ in range(2000)]


def measure_scale(wrk: Wrk, data: DataSet, clients: int, staff_cookie: str,
                  rng: random.Random) -> list[Row]:
    """The list and detail pages at one size, beside the bare route."""
    round_id = data.needs_round_id
    bare = wrk.get(["/_bench/hello"], clients)
    rows = [("bare /_bench/hello", clients, bare, bare)]
    pages = [
        ("needs list (by supports)", [f"/appels/{round_id}/solutions"], ""),
        ("needs list (recent)", [f"/appels/{round_id}/solutions?tri=recent"], ""),
        ("needs list (by field)", [f"/appels/{round_id}/solutions?tri=field"], ""),
        ("needs list (one field, page 5)",
         [f"/appels/{round_id}/solutions?thematique={f}&page=5" for f in data.field_ids], ""),
        ("need page", need_pages(data, rng), ""),
        ("staff moderation list", [f"/agents/appels/{round_id}/solutions"], staff_cookie),
    ]
    for name, paths, cookie in pages:
        rows.append((name, clients, wrk.get(paths, clients, cookie), bare))
    return rows


def support_lines(data: DataSet, sessions: list[tuple[str, str]], count: int,
                  rng: random.Random) -> list[tuple[str, str, str, str]]:
    """``count`` support POSTs of logged-in residents, each for a need they did not support."""
    lines, chosen = [], set()
    supporter_ids = [data.user_ids[login] for login in data.supporters[:len(sessions)]]
    while len(lines) < count:
        index = rng.randrange(len(sessions))
        pair = (rng.choice(data.need_ids), supporter_ids[index])
        if pair in data.supported or pair in chosen:
            continue
        chosen.add(pair)
        cookie, token = sessions[index]
        body = urlencode({"csrf_token": token, "next": f"/solutions/{pair[0]}"})
        lines.append(("POST", f"/habitants/solutions/{pair[0]}/soutien", cookie, body))
    data.supported |= chosen
    return lines


def ballot_lines(data: DataSet, sessions: list[tuple[str, str]],
                 rng: random.Random) -> list[tuple[str, str, str, str]]:
    lines = []
    for cookie, token in sessions:
        chosen = rng.sample(data.proposal_ids, rng.randint(1, 4))
        body = urlencode({"csrf_token": token, "proposal": chosen}, doseq=True)
        lines.append(("POST", f"/comite/appels/{data.vote_round_id}/bulletin", cookie, body))
    return lines


def measure_full(wrk: Wrk, stack, url: str, data: DataSet, levels: list[int],
                 rng: random.Random) -> None:
    started = time.perf_counter()
    residents = login_all(stack.url, data.supporters[:200], "/compte")
    voters = login_all(stack.url, data.voters, "/comite/")
    print(f"\nlogged in beforehand: {len(residents)} residents and {len(voters)} voters in "
          f"{time.perf_counter() - started:.0f} s")
    # Voters are shared out between the levels in proportion to their clients (at least 10%).
    weights = [max(c, sum(levels) / 10) for c in levels]
    cuts, start = [], 0
    for weight in weights:
        size = int(len(voters) * weight / sum(weights))
        cuts.append(voters[start:start + size])
        start += size
    rows: list[Row] = []
    round_id = data.needs_round_id
    for clients, voter_sessions in zip(levels, cuts, strict=True):
        bare = wrk.get(["/_bench/hello"], clients)
        rows.append(("bare /_bench/hello", clients, bare, bare))
        for name, paths in (("home /", ["/"]),
                            ("needs list", [f"/appels/{round_id}/solutions"]),
                            ("need page", need_pages(data, rng))):
            rows.append((name, clients, wrk.get(paths, clients), bare))
        before = count_rows(url, "SELECT count(*) FROM supports")
        lines = support_lines(data, residents, 40_000, rng)
        result = wrk.run(wrk.write(lines), clients, ok_status=302)
        added = count_rows(url, "SELECT count(*) FROM supports") - before
        # A 302 does not tell a refused support from an accepted one: the table does.
        result.refused += max(0, result.accepted - added)
        result.accepted = added
        rows.append(("support POST (logged in, CSRF)", clients, result, bare))
        commits = [("POST", "/_bench/commit", cookie, urlencode({"csrf_token": token}))
                   for cookie, token in residents]
        rows.append(("floor: logged-in POST, 1 commit", clients,
                     wrk.run(wrk.write(commits), clients), bare))
        before = count_rows(url, "SELECT count(*) FROM ballots")
        result = wrk.run(wrk.write(ballot_lines(data, voter_sessions, rng)), clients,
                         once=True, ok_text=RECEIPT)
        written = count_rows(url, "SELECT count(*) FROM ballots") - before
        rows.append((f"ballot POST ({len(voter_sessions)} voters)", clients, result, bare))
        if written != result.accepted:
            # A wrk thread that has sent its last line stops at once: the answers still in
            # flight on its other connections are not read (the ballots are written).
            print(f"note: {written} ballots written, {result.accepted} receipts read (the rest "
                  "were in flight when their wrk thread stopped)")
    print_table("Full: GET and POST routes (wrk), ratio = accepted answers per second / bare "
                "route's", rows)
    print_memory("after the ballot storm", stack.process.pid)

    ballots = publish_results(url, data.vote_round_id)
    rows = []
    vote = data.vote_round_id
    for clients in levels:
        bare = wrk.get(["/_bench/hello"], clients)
        rows.append(("bare /_bench/hello", clients, bare, bare))
        rows.append(("results page", clients, wrk.get([f"/appels/{vote}/resultats"], clients),
                     bare))
        # The HTML board: its first page and one page further on (pages of 100 ballots).
        rows.append(("board page 1", clients, wrk.get([f"/appels/{vote}/bulletins"], clients),
                     bare))
        rows.append(("board page 10", clients,
                     wrk.get([f"/appels/{vote}/bulletins?page=10"], clients), bare))
        rows.append((f"board JSON ({ballots} ballots)", clients,
                     wrk.get([f"/appels/{vote}/bulletins.json"], clients), bare))
    print_table("Full: results and bulletin board after the vote", rows)
    print_memory("at the end", stack.process.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description="Web benchmark against a bare route.")
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/pdv_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--worker-class", choices=("sync", "gthread"),
                        help="gunicorn worker (default as gunicorn.conf.py: sync with one "
                             "thread, gthread with more)")
    parser.add_argument("--needs", default="1000,10000,100000",
                        help="sizes of the scale part (comma-separated)")
    parser.add_argument("--full-at", type=int, default=10_000,
                        help="size at which every route is measured (0: none)")
    parser.add_argument("--supports-per-need", type=int, default=10)
    parser.add_argument("--residents", type=int, default=2_000)
    parser.add_argument("--voters", type=int, default=3_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measure")
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--scale-clients", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    from prodstack import ensure_database

    levels = [int(c) for c in args.clients.split(",")]
    sizes = [int(n) for n in args.needs.split(",")]
    if args.full_at and args.full_at not in sizes:
        sizes.append(args.full_at)
    ensure_database(args.database_url)
    worker_class = args.worker_class or ("sync" if args.threads == 1 else "gthread")
    print(f"{os.cpu_count()} CPU (shared: other processes run beside the benchmark); "
          f"gunicorn {args.workers} {worker_class} workers × {args.threads} threads; "
          f"{args.duration} s per measure; load average before: {os.getloadavg()[0]:.1f}")
    rng = random.Random(9)
    scale_rows: list[Row] = []
    for size in sizes:
        started = time.perf_counter()
        full = size == args.full_at
        data = load_data(args.database_url, size, args.supports_per_need, args.residents,
                         args.voters if full else 0)
        print(f"\ndata set: {size} needs, {len(data.supported)} supports, {args.residents} "
              f"residents{f', {len(data.voters)} voters' if full else ''}; loaded in "
              f"{time.perf_counter() - started:.0f} s")
        env = {"PDV_BENCH": "1", "PDV_ACCESS_LOG": "/dev/null", "PDV_THREADS": str(args.threads),
               "PDV_WORKER_CLASS": worker_class}
        with running_stack(args.database_url, args.redis_url, workers=args.workers,
                           env=env) as stack, tempfile.TemporaryDirectory() as tmp:
            wrk = Wrk(stack.url, args.duration, Path(tmp),
                      ServerCpu(stack.process.pid, args.database_url))
            [(staff_cookie, _token)] = login_all(stack.url, [STAFF_LOGIN], "/agents/",
                                                 TOTP_SECRET)
            rows = measure_scale(wrk, data, args.scale_clients, staff_cookie, rng)
            scale_rows += [(f"{name} @{size}", c, r, b) for name, c, r, b in rows]
            print_table(f"Scale: {size} needs, {args.scale_clients} clients", rows)
            if full:
                measure_full(wrk, stack, args.database_url, data, levels, rng)
    print_table(f"Scale summary ({args.scale_clients} clients; target: p95 < 100 ms at "
                "10,000 and 100,000 needs, not growing with the size)", scale_rows)


if __name__ == "__main__":
    main()
