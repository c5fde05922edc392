"""Mixed race on the production stack (gunicorn 4 workers, PostgreSQL, Redis): in one storm,
knapsack ballots that exceed the envelope and valid ones, supports while staff merge the needs
into each other, evaluations sent twice, funding decisions that together exceed the fund,
grants that together exceed the round's envelope. Copies of one action are sent side by side
(same instant, different workers). Then no invariant of DESIGN.md §7 is broken
(``check_invariants``), and each contest has the one outcome it must have.

Sizes: PDV_STORM_RACE_PEOPLE (people per contest: CI 10, full 60), PDV_STORM_RACE_COPIES
(copies of each action: CI 3, full 8), PDV_STORM_RACE_OBJECTS (prospects and grants:
CI 4, full 12).
"""

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    DecisionOutcome,
    Evaluation,
    FundingDecision,
    Grant,
    Need,
    NeedStatus,
    SignIn,
    Support,
    User,
)

from ..stack import running_stack
from . import race_world
from .crash import audit_verify, close_and_publish, verify_board
from .helpers import (
    SECRET_KEY,
    Browser,
    fetch_board,
    fresh_database,
    receipt_of,
    require_redis_url,
    seeded,
    size,
)
from .invariants import check_invariants

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PEOPLE = size("RACE_PEOPLE", 10, 60)
COPIES = size("RACE_COPIES", 3, 8)
OBJECTS = size("RACE_OBJECTS", 4, 12)
THREADS = 24


class Session:
    """A logged-in browser's cookies and CSRF token, reused by every copy of its actions."""

    def __init__(self, browser: Browser, token_page: str):
        self.token = browser.token(token_page)
        self.cookies = dict(browser.cookies)
        browser.close()

    def post(self, base_url: str, path: str, data: dict) -> httpx.Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Connection": "close"}
        return httpx.post(base_url + path, data={"csrf_token": self.token, **data},
                          headers=headers, timeout=120)


def _login(base_url: str, world: race_world.World) -> dict:
    """Log every person in once, from 8 threads: residents, committee members, staff."""
    def resident(email):
        return Session(Browser(base_url).login(email), "/compte")

    def staff(account):
        return Session(Browser(base_url).login_staff(*account), "/agents/")

    emails = ([v["email"] for v in world.knapsack["voters"]]
              + [s["email"] for s in world.needs["supporters"]]
              + world.evaluation["voters"] + world.evaluation["outsiders"])
    with ThreadPoolExecutor(max_workers=8) as pool:
        sessions = dict(zip(emails, pool.map(resident, emails), strict=True))
        sessions["staff"] = list(pool.map(staff, world.staff))
    return sessions


def _bursts(world: race_world.World, sessions: dict, rng: random.Random) -> list[list]:
    """Every action as (kind, key, session, path, form), copies grouped in bursts."""
    bursts = []
    knapsack = world.knapsack
    for voter in knapsack["voters"]:
        session = sessions[voter["email"]]
        path = f"/comite/appels/{knapsack['round']}/bulletin"
        burst = [("ballot-over", voter["email"], session, path,
                  {"proposal": [str(p) for p in voter["over"]]})] * COPIES
        if voter["valid"]:
            burst += [("ballot-valid", voter["email"], session, path,
                       {"proposal": [str(p) for p in voter["valid"]]})] * COPIES
        bursts.append(burst)
    for supporter in world.needs["supporters"]:
        for need in supporter["needs"]:
            bursts.append([("support", (supporter["email"], need), sessions[supporter["email"]],
                            f"/habitants/solutions/{need}/soutien", {})] * COPIES)
    staff = sessions["staff"]
    bursts.append([("merge", (duplicate, kept), staff[n % len(staff)],
                    f"/agents/solutions/{duplicate}/fusionner", {"merge-kept_id": str(kept)})
                   for n, (duplicate, kept) in enumerate(world.needs["merges"])])
    target, duplicate = world.needs["hide_race"]
    bursts.append([("hide", target, staff[0], f"/agents/solutions/{target}/masquer",
                    {"hide-reason": "Propos injurieux."}),
                   ("merge", (duplicate, target), staff[1 % len(staff)],
                    f"/agents/solutions/{duplicate}/fusionner", {"merge-kept_id": str(target)})])
    evaluation = world.evaluation
    for email in evaluation["voters"] + evaluation["outsiders"]:
        for action in evaluation["actions"]:
            path = f"/evaluation/{evaluation['round']}/actions/{action}"
            bursts.append([("evaluation", (email, action), sessions[email], path, {
                "answers_need": str(rng.randint(1, 5)), "quality": str(rng.randint(1, 5)),
                "reach": str(rng.randint(1, 5)), "relation": str(rng.randint(1, 5)),
                "renew": rng.choice(["yes", "no", "dont_know"]), "comment": "Utile."})
                for _ in range(COPIES)])
    for prospect in world.funds["prospects"]:
        bursts.append([("decision", prospect, staff[n], f"/agents/reperage/{prospect}/decision", {
            "outcome": "funded",
            "fund_id": str(world.funds["fund"]),
            "amount": str(rng.randint(*race_world.DECISION_RANGE) // 100),
            "committee": "Comité de la fondation", "decided_on": "2026-04-01",
            "reason": "Pitch convaincant."}) for n in range(2)])
    for proposal in world.grants["proposals"]:
        euros = str(race_world.GRANT_AMOUNT // 100)
        bursts.append([("grant", proposal, staff[n],
                        f"/agents/suivi/propositions/{proposal}/convention", {
                            "reference": f"DEL-2026-{proposal}-{n}", "decided_on": "2026-03-02",
                            "amount": euros, "adjustment_reason": "Public plus large.",
                            "year_1": "2026", "year_amount_1": euros}) for n in range(2)])
    rng.shuffle(bursts)
    for burst in bursts:
        rng.shuffle(burst)
    return bursts


def _race(base_url: str, bursts: list[list]) -> list[tuple]:
    """Send every action from THREADS threads; copies of a burst leave side by side."""
    jobs = [job for burst in bursts for job in burst]

    def send(job):
        kind, key, session, path, form = job
        return kind, key, form, session.post(base_url, path, form)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(send, jobs))


def test_mixed_race_breaks_no_invariant(tmp_path):
    rng = seeded("mixed race")
    redis_url = require_redis_url()
    url, app = fresh_database()
    world = race_world.build(app, rng, voters=PEOPLE, supporters=PEOPLE, evaluators=PEOPLE,
                             prospects=OBJECTS, grants=OBJECTS)
    with app.app_context():
        assert check_invariants(db) == [], "the data broke an invariant before the race"
        db.session.remove()
    log_path = tmp_path / "gunicorn.log"
    with running_stack(url, redis_url, workers=4, env={"PDV_SECRET_KEY": SECRET_KEY},
                       log_path=log_path) as stack:
        sessions = _login(stack.url, world)
        results = _race(stack.url, _bursts(world, sessions, rng))
        statuses = Counter((kind, r.status_code) for kind, _key, _form, r in results)
        print(f"mixed race: {len(results)} requests; "
              + ", ".join(f"{k} {s}×{n}" for (k, s), n in sorted(statuses.items())))
        assert [k for k in statuses if k[1] >= 500] == [], "server errors"
        with app.app_context():
            problems = check_invariants(db)
            print("invariants broken:", problems or "none")
            _check_contests(world, results)
            db.session.remove()
            db.engine.dispose()
        assert problems == []
        _check_board(app, stack.url, world, results, tmp_path)
    audited = audit_verify(url)
    assert (audited.returncode, audited.stdout.strip()) == (0, "audit chain OK"), audited.stdout


def _check_contests(world: race_world.World, results: list[tuple]) -> None:
    """The outcome each contest must have, beyond the invariants."""
    by_kind: dict[str, list] = {}
    for kind, key, form, response in results:
        by_kind.setdefault(kind, []).append((key, form, response))
    # Knapsack: an over-budget ballot is never accepted; a valid one exactly once.
    assert {r.status_code for _k, _f, r in by_kind["ballot-over"]} <= {302, 422}
    receipts = Counter(key for key, _f, r in by_kind.get("ballot-valid", []) if receipt_of(r))
    valid = {v["email"] for v in world.knapsack["voters"] if v["valid"]}
    assert receipts == Counter(valid), "each valid ballot accepted exactly once"
    signed = db.session.scalar(sa.select(sa.func.count(SignIn.id)).where(
        SignIn.round_id == world.knapsack["round"]))
    assert signed == len(valid), "a voter who only sent over-budget ballots signed in"
    # Supports: answered by a redirect; on needs nobody merged, each supporter exactly once.
    assert {r.status_code for _k, _f, r in by_kind["support"]} == {302}
    untouched = set(world.needs["needs"][4:])
    expected = {(s["email"], n) for s in world.needs["supporters"] for n in s["needs"]
                if n in untouched}
    found = set(db.session.execute(sa.select(User.email, Support.need_id).join(
        Support, Support.user_id == User.id).where(Support.need_id.in_(untouched))).tuples())
    assert found == expected
    statuses = dict(_rows(sa.select(Need.id, Need.status).where(
        Need.id.in_(world.needs["needs"]))))
    merged = [n for n, status in statuses.items() if status is NeedStatus.MERGED]
    assert len(merged) == 2, f"merges racing: {statuses}"
    # A hide racing a merge into the hidden need: exactly one wins, the other is refused.
    target, duplicate = world.needs["hide_race"]
    outcome = (db.session.get(Need, target).status, db.session.get(Need, duplicate).status)
    assert outcome in {(NeedStatus.HIDDEN, NeedStatus.PUBLISHED),
                       (NeedStatus.PUBLISHED, NeedStatus.MERGED)}, f"hide racing merge: {outcome}"
    assert sorted(r.status_code for _k, _f, r in by_kind["hide"]
                  + [m for m in by_kind["merge"] if m[0] == (duplicate, target)]) == [302, 422]
    # Evaluations: each voter once per action; outsiders refused.
    assert {r.status_code for _k, _f, r in by_kind["evaluation"]} <= {200, 302, 403}
    voters = world.evaluation["voters"]
    assert db.session.scalar(sa.select(sa.func.count(Evaluation.id)).where(
        Evaluation.round_id == world.evaluation["round"])) == len(voters) * 2
    assert all(r.status_code == 403 for (email, _a), _f, r in by_kind["evaluation"]
               if email in world.evaluation["outsiders"])
    # Funding decisions: one per prospect, the fund never overspent (checked by invariants).
    decisions = dict(_rows(sa.select(FundingDecision.prospect_id, sa.func.count()).group_by(
        FundingDecision.prospect_id)))
    assert set(decisions) <= set(world.funds["prospects"])
    assert set(decisions.values()) <= {1}, f"two decisions on one prospect: {decisions}"
    refused = sum("Solde insuffisant" in r.text for _k, _f, r in by_kind["decision"])
    assert refused >= 1, "the decisions never asked more than the fund's balance"
    funded = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(
        FundingDecision.amount_cents), 0)).where(FundingDecision.outcome == DecisionOutcome.FUNDED))
    assert funded <= world.funds["total"]
    # Grants: at most one per action, as many as fit in the envelope.
    grants = db.session.scalar(sa.select(sa.func.count(Grant.id)).where(
        Grant.round_id == world.grants["round"]))
    envelope = race_world.GRANT_REQUESTED * OBJECTS + race_world.GRANT_MARGIN
    assert grants == min(OBJECTS, envelope // race_world.GRANT_AMOUNT)
    print(f"mixed race outcome: {len(valid)} knapsack ballots of "
          f"{len(world.knapsack['voters'])} voters; {len(found)} supports on untouched needs; "
          f"{len(merged)} of {len(statuses)} needs merged; {len(voters) * 2} evaluations; "
          f"{len(decisions)} decisions ({refused} refused: balance), {funded / 100:.0f} € of "
          f"{world.funds['total'] / 100:.0f} € funded; {grants} grants")


def _rows(query) -> list:
    return list(db.session.execute(query).tuples())


def _check_board(app, base_url: str, world: race_world.World, results: list, tmp_path) -> None:
    """Close the knapsack vote: the public board holds the valid ballots, nothing else."""
    round_id = world.knapsack["round"]
    close_and_publish(app, round_id)
    board = fetch_board(base_url, round_id)
    receipts = [t for kind, _k, _f, r in results if kind == "ballot-valid"
                for t in [receipt_of(r)] if t]
    chosen = sorted(sorted(int(p) for p in b["choices"]) for b in board["ballots"])
    assert chosen == sorted(sorted(v["valid"]) for v in world.knapsack["voters"] if v["valid"])
    checked = verify_board(board, receipts, tmp_path)
    assert checked.returncode == 0, checked.stdout[-3000:]
