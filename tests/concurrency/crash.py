"""A ballot storm crashed at a seeded moment, clients that retry, and the checks after it.

Shared by the ``kill -9`` test (every gunicorn process) and the PostgreSQL test (immediate stop
of a private cluster). The checks go through what anyone can use — the public board, the
receipt lookup page, ``tools/verify_board.py``, ``flask audit verify`` — plus
``check_invariants`` on the database, so they hold whatever the internal design of the board.
"""

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import httpx

from pdvsolutions.extensions import db
from pdvsolutions.models import Role, Round
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from .. import factories
from ..stack import BIN, ROOT, psycopg_url
from .helpers import fetch_board, receipt_of, send_ballot
from .invariants import check_invariants

ALREADY_VOTED = "/comite/"
#: How long a client keeps retrying an unanswered ballot, and how long it waits between tries.
RETRY_FOR = 180.0
RETRY_PAUSE = 0.3
#: How many receipts the public lookup page is asked for after a crash.
LOOKUPS = 50


def send_or_none(base_url: str, round_id: int, voter: tuple) -> httpx.Response | None:
    """One ballot POST; None when the connection died without an answer."""
    try:
        return send_ballot(base_url, round_id, *voter)
    except httpx.TransportError:
        return None


def answered(response: httpx.Response | None) -> bool:
    """A final answer: the server decided (receipt, already voted, refusal); not an outage."""
    return response is not None and response.status_code < 500


def storm_with_fault(base_url: str, round_id: int, voters: list, *, after: int, fault,
                     downtime: float = 0.0, recover=None, threads: int = 20) -> list:
    """Send every ballot once from ``threads`` threads; call ``fault()`` once ``after``
    answers have come back; ``downtime`` seconds later call ``recover()`` (if any) while the
    storm goes on. Returns each voter's answer (None: no answer)."""
    answers: list = [None] * len(voters)
    done = [0]
    lock = threading.Lock()

    def send(index: int) -> None:
        answers[index] = send_or_none(base_url, round_id, voters[index])
        with lock:
            done[0] += 1

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(send, i) for i in range(len(voters))]
        while done[0] < after and not all(f.done() for f in futures):
            time.sleep(0.002)
        fault()
        if recover is not None:
            time.sleep(downtime)
            recover()
        wait(futures)
    return answers


def retry_until_answered(base_url: str, round_id: int, voters: list, answers: list,
                         threads: int = 20) -> list:
    """What clients do next: one without a final answer sends the same ballot again until
    the server decides; one with an answer sends it once more (it must say "already voted")."""
    deadline = time.monotonic() + RETRY_FOR

    def retry(index: int) -> tuple[httpx.Response | None, int]:
        tries = 0
        while True:
            tries += 1
            response = send_or_none(base_url, round_id, voters[index])
            if answered(response) or time.monotonic() > deadline:
                return response, tries
            time.sleep(RETRY_PAUSE)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(retry, range(len(voters))))


def close_and_publish(app, round_id: int) -> None:
    """Staff close the vote (the board becomes public), tally and publish, as the UI does."""
    with app.app_context():
        staff = factories.make_user(Role.STAFF)
        round_ = db.session.get(Round, round_id)
        phases.change_phase(round_, Phase.RESULTS, staff)
        voting.tally_round(round_, staff)
        voting.publish_results(round_, staff)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def verify_board(board: dict, receipts: list[str], tmp_path) -> subprocess.CompletedProcess:
    """Run the stand-alone verifier on the downloaded board, looking up every receipt."""
    path = tmp_path / "board.json"
    path.write_text(json.dumps(board), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_board.py"), str(path), "--lang", "en",
         *[arg for tracker in sorted(receipts) for arg in ("--receipt", tracker)]],
        capture_output=True, text=True, timeout=300, check=False)


def audit_verify(database_url: str) -> subprocess.CompletedProcess:
    """``flask audit verify`` on the database, as an operator runs it."""
    env = {**os.environ, "PDV_DATABASE_URL": psycopg_url(database_url)}
    return subprocess.run([str(BIN / "flask"), "--app", "pdvsolutions", "audit", "verify"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def lookup_receipts(base_url: str, round_id: int, receipts: list[str]) -> list[str]:
    """The receipts the public lookup page does not find."""
    def missing(tracker: str) -> str | None:
        page = httpx.get(f"{base_url}/appels/{round_id}/recu", params={"code": tracker},
                         timeout=60)
        return None if page.status_code == 200 and 'id="found-title"' in page.text else tracker

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [t for t in pool.map(missing, receipts) if t]


@dataclass
class Figures:
    """What one crash run measured (printed, quoted in the closing note)."""

    voters: int
    fault_after: int
    storm: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)
    receipts: int = 0
    duplicates: int = 0
    lost: int = 0
    answers_lost: int = 0
    ballots: int = 0
    signins: int = 0

    def line(self) -> str:
        def fmt(counter):
            return ", ".join(f"{k}×{v}" for k, v in sorted(counter.items(), key=str))
        return (f"{self.voters} voters, fault after {self.fault_after} answers; storm: "
                f"{fmt(self.storm)}; after recovery: {fmt(self.retries)}; board: "
                f"{self.ballots} ballots, {self.signins} sign-ins; receipts {self.receipts}, "
                f"lost {self.lost}, duplicates {self.duplicates}, answers lost (ballot kept, "
                f"receipt not shown) {self.answers_lost}")


def status_of(response: httpx.Response | None) -> str:
    return "no answer" if response is None else str(response.status_code)


def check_after_crash(app, database_url: str, base_url: str, round_id: int, voters: list,
                      answers: list, retries: list, fault_after: int, tmp_path) -> Figures:
    """Every check of issue 8 after a crash; returns the figures (asserts on failure)."""
    figures = Figures(len(voters), fault_after, Counter(map(status_of, answers)),
                      Counter(status_of(r) for r, _tries in retries))
    by_voter = [[t for t in (receipt_of(answer) if answer is not None else None,
                             receipt_of(retry) if retry is not None else None) if t]
                for answer, (retry, _tries) in zip(answers, retries, strict=True)]
    receipts = [t for found in by_voter for t in found]
    figures.receipts = len(receipts)
    figures.duplicates = sum(len(found) - 1 for found in by_voter if len(found) > 1)
    figures.answers_lost = sum(not found for found in by_voter)

    assert set(figures.storm) <= {"200", "302", "503", "no answer"}, \
        f"during the storm (503: database down, never 500): {figures.line()}"
    assert all(answered(r) for r, _tries in retries), f"no final answer: {figures.line()}"
    assert set(figures.retries) <= {"200", "302"}, f"after recovery: {figures.line()}"
    for answer, (retry, _tries) in zip(answers, retries, strict=True):
        if answer is not None and receipt_of(answer):
            assert (retry.status_code, retry.headers.get("location")) == (302, ALREADY_VOTED), \
                "a voter with a receipt could vote again"
    assert figures.duplicates == 0, f"a voter got two receipts: {figures.line()}"

    close_and_publish(app, round_id)
    board = fetch_board(base_url, round_id)
    trackers = {b["tracker"] for b in board["ballots"]}
    figures.ballots, figures.signins = len(board["ballots"]), board["signins"]
    figures.lost = len(set(receipts) - trackers)
    print(figures.line())
    assert figures.lost == 0, "a receipt shown to a voter is not on the board"
    assert figures.ballots == figures.signins == len(voters), "ballots ≠ sign-ins ≠ voters"
    # Every receipt is looked up by the verifier; the public page checks a spread of 50.
    spread = sorted(receipts)[::max(1, len(receipts) // LOOKUPS)]
    assert lookup_receipts(base_url, round_id, spread) == []
    checked = verify_board(board, receipts, tmp_path)
    assert checked.returncode == 0, checked.stdout[-3000:]
    with app.app_context():
        problems = check_invariants(db)
        db.session.remove()
        db.engine.dispose()
    assert problems == []
    audited = audit_verify(database_url)
    assert (audited.returncode, audited.stdout.strip()) == (0, "audit chain OK"), \
        audited.stdout + audited.stderr[-2000:]
    return figures
