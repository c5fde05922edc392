"""Web benchmark: each route beside a bare route served by the same gunicorn, in the same run.

Starts the production stack (``tests/stack.py``: gunicorn, PostgreSQL, Redis) on loopback with
``PDV_BENCH=1`` (which adds the bare ``/_bench/hello`` route), loads a data set of realistic
size, then measures throughput and p50/p95/p99 latency at 1, 10 and 50 concurrent clients.
GET routes are loaded by ``wrk`` (Debian package ``wrk``); POST routes, which need a session
and a CSRF token, by an asyncio ``httpx`` client. Each figure is printed with its ratio to the
bare route measured by the same tool: absolute times on a shared machine are noise.

    python bench/web.py [--needs 10000] [--residents 2000] [--duration 10] [--clients 1,10,50]

Other areas add their routes to ``GET_ROUTES`` / ``POST_ROUTES``: a name, a path builder taking
the loaded :class:`DataSet`, and for POSTs a form builder.
"""

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from tests.pg import reset_schema  # noqa: E402
from tests.stack import flask_command, psycopg_url, running_stack  # noqa: E402

PASSWORD = "Bench-Habitant-Mot-De-Passe-2026"  # noqa: S105 - throw-away bench accounts
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.status + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class DataSet:
    """Identifiers of the loaded rows, for path builders."""

    round_id: int = 0
    need_ids: list[int] = field(default_factory=list)
    resident_logins: list[str] = field(default_factory=list)


@dataclass
class Route:
    name: str
    path: "callable"
    form: "callable | None" = None  # POST only: DataSet -> dict of fields (CSRF added)


BARE = Route("bare /_bench/hello", lambda d: "/_bench/hello")
GET_ROUTES = [
    Route("home /", lambda d: "/"),
    Route("login page /connexion", lambda d: "/connexion"),
    Route("privacy /donnees-personnelles", lambda d: "/donnees-personnelles"),
    Route("accessibility /accessibilite", lambda d: "/accessibilite"),
]
POST_ROUTES = [
    # A logged-in POST with CSRF that writes one row (the account's language) and commits.
    Route("POST /langue (logged in)", lambda d: "/langue",
          lambda d: {"language": random.choice(["fr", "en"]), "next": "/"}),
]


def load_data(url: str, needs: int, residents: int) -> DataSet:
    """Fresh schema, migrations, then territories, residents, one round, needs and supports."""
    from pdvsolutions import create_app
    from pdvsolutions.extensions import db
    from pdvsolutions.models import Need, Role, Round, RoundField, Support, Territory, User
    from pdvsolutions.rules.phases import Phase
    from pdvsolutions.services.territories import import_qpv

    reset_schema(psycopg_url(url))
    flask_command(url, "db", "upgrade")
    app = create_app({"SQLALCHEMY_DATABASE_URI": psycopg_url(url), "SECRET_KEY": "b" * 40})
    data = DataSet()
    rng = random.Random(2026)
    with app.app_context():
        import_qpv()
        qpvs = [code for (code,) in db.session.execute(sa.text("SELECT code FROM qpvs LIMIT 40"))]
        territory = Territory(name="Marseille Nord", description="")
        db.session.add(territory)
        db.session.flush()
        password_hash = generate_password_hash(PASSWORD, method="scrypt")
        data.resident_logins = [f"habitant{i}@bench.example.org" for i in range(residents)]
        db.session.execute(sa.insert(User), [
            {"email": login, "first_name": f"Habitant{i}", "last_name": "Test",
             "role": Role.RESIDENT, "qpv_code": rng.choice(qpvs), "password_hash": password_hash,
             "session_token": f"{i:032x}"}
            for i, login in enumerate(data.resident_logins)])
        round_ = Round(territory_id=territory.id, title="Appel à solutions 2026",
                       envelope_cents=20_000_000, phase=Phase.NEEDS)
        db.session.add(round_)
        db.session.flush()
        fields = [RoundField(round_id=round_.id, label=label, position=i) for i, label in
                  enumerate(["Éducation", "Emploi", "Cadre de vie", "Santé", "Culture"])]
        db.session.add_all(fields)
        db.session.flush()
        user_ids = list(db.session.scalars(sa.select(User.id)))
        db.session.execute(sa.insert(Need), [
            {"round_id": round_.id, "author_id": rng.choice(user_ids),
             "field_id": rng.choice(fields).id, "title": f"Besoin {i}",
             "description": "Des cours du soir près du collège, avec des étudiants. " * 4}
            for i in range(needs)])
        data.need_ids = list(db.session.scalars(sa.select(Need.id)))
        supports = {(rng.choice(data.need_ids), rng.choice(user_ids)) for _ in range(needs * 5)}
        db.session.execute(sa.insert(Support), [{"need_id": n, "user_id": u} for n, u in supports])
        db.session.commit()
        data.round_id = round_.id
        db.engine.dispose()
    return data


@dataclass
class Result:
    requests: int
    seconds: float
    errors: int
    p50: float
    p95: float
    p99: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(url: str, clients: int, duration: int, script: Path) -> Result:
    threads = min(clients, 2)
    out = subprocess.run(  # noqa: S603 - fixed argv: our URL and numbers, no shell
        [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{clients}", f"-d{duration}s", "--timeout", "10s",
         "-s", str(script), url],
        capture_output=True, text=True, timeout=duration + 60, check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, micros, errors, p50, p95, p99 = (int(x) for x in line.split()[1:])
    return Result(requests, micros / 1e6, errors, p50 / 1000, p95 / 1000, p99 / 1000)


def _cookie(response: httpx.Response, current: str = "") -> str:
    """The session cookie to send next (production cookies are Secure: we carry them)."""
    header = response.headers.get("set-cookie")
    return header.split(";", 1)[0] if header else current


async def _session(client: httpx.AsyncClient, login: str | None, tries: int = 3) -> dict:
    """Log in (when ``login``) and return the cookie header and a CSRF token.

    A connection the server closed while idle (keep-alive race) is retried.
    """
    for attempt in range(tries):
        try:
            return await _open_session(client, login)
        except httpx.TransportError:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


async def _open_session(client: httpx.AsyncClient, login: str | None) -> dict:
    page = await client.get("/connexion")
    cookie = _cookie(page)
    token = TOKEN.search(page.text).group(1)
    if login:
        response = await client.post("/connexion", headers={"Cookie": cookie}, data={
            "identifier": login, "password": PASSWORD, "csrf_token": token})
        cookie = _cookie(response, cookie)
        page = await client.get("/compte", headers={"Cookie": cookie})
        if page.status_code != 200:
            raise RuntimeError(f"login of {login} failed: {page.status_code}")
        cookie = _cookie(page, cookie)
        token = TOKEN.search(page.text).group(1)
    return {"cookie": cookie, "token": token}


async def _run_python(base: str, route: Route, data: DataSet, clients: int,
                      duration: int) -> Result:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        logins = data.resident_logins[:clients] if route.form else [None] * clients
        sessions = await asyncio.gather(*(_session(client, login) for login in logins))
        deadline = time.perf_counter() + duration

        async def worker(state):
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    ok = await one_request(state)
                except httpx.TransportError:
                    ok = False
                latencies.append((time.perf_counter() - start) * 1000)
                errors += not ok

        async def one_request(state) -> bool:
            if route.form:
                response = await client.post(
                    route.path(data), headers={"Cookie": state["cookie"]},
                    data={**route.form(data), "csrf_token": state["token"]})
                state["cookie"] = _cookie(response, state["cookie"])
                return response.status_code in (200, 302, 303)
            response = await client.get(route.path(data))
            return response.status_code == 200

        started = time.perf_counter()
        await asyncio.gather(*(worker(s) for s in sessions))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Result(len(latencies), elapsed, errors, cuts[49], cuts[94], cuts[98])


def print_table(title: str, rows: list[tuple[str, int, Result, Result]]) -> None:
    print(f"\n{title}")
    header = f"{'route':34} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} " \
             f"{'p99 ms':>8} {'errors':>6} {'vs bare':>8}"
    print(header)
    print("-" * len(header))
    for name, clients, result, bare in rows:
        ratio = result.rate / bare.rate if bare.rate else 0.0
        print(f"{name[:34]:34} {clients:>7} {result.rate:>9.1f} {result.p50:>8.1f} "
              f"{result.p95:>8.1f} {result.p99:>8.1f} {result.errors:>6} {ratio:>7.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Web benchmark against a bare route.")
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/pdv_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=2_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measure")
    parser.add_argument("--clients", default="1,10,50")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    levels = [int(c) for c in args.clients.split(",")]

    sys.path.insert(0, str(ROOT / "scripts"))
    from prodstack import ensure_database

    ensure_database(args.database_url)
    started = time.perf_counter()
    data = load_data(args.database_url, args.needs, args.residents)
    print(f"data set: {args.residents} residents, {len(data.need_ids)} needs, loaded in "
          f"{time.perf_counter() - started:.0f} s; {args.workers} workers; "
          f"{os.cpu_count()} CPU")
    env = {"PDV_BENCH": "1", "PDV_ACCESS_LOG": "/dev/null"}
    with running_stack(args.database_url, args.redis_url, workers=args.workers,
                       env=env) as stack, tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_SCRIPT)
        get_rows, post_rows = [], []
        for clients in levels:
            bare = run_wrk(stack.url + BARE.path(data), clients, args.duration, script)
            get_rows.append((BARE.name, clients, bare, bare))
            for route in GET_ROUTES:
                result = run_wrk(stack.url + route.path(data), clients, args.duration, script)
                get_rows.append((route.name, clients, result, bare))
            bare_py = asyncio.run(_run_python(stack.url, BARE, data, clients, args.duration))
            post_rows.append((BARE.name + " (httpx)", clients, bare_py, bare_py))
            for route in POST_ROUTES:
                result = asyncio.run(
                    _run_python(stack.url, route, data, clients, args.duration))
                post_rows.append((route.name, clients, result, bare_py))
    print_table("GET routes (wrk), ratio = throughput / bare route's", get_rows)
    print_table("POST routes (httpx asyncio, logged in, CSRF), ratio = throughput / bare "
                "route's by the same client", post_rows)


if __name__ == "__main__":
    main()
