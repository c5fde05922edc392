"""Shared pieces of the concurrency and durability suite: seeds, sizes, browsers, open votes.

Sizes come from environment variables with CI-sized defaults; ``PDV_STORM_FULL=1`` switches
every default to the full size of issue 8 (see docs/production.md). ``PDV_STORM_SEED`` replays
a run. Redis: ``PDV_STORM_REDIS_URL`` (db 10 by default).
"""

import os
import random
import re
import threading

import httpx
import pytest
import sqlalchemy as sa

from pdvsolutions import create_app
from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, BallotLine, Role, Round, SignIn
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases

from .. import factories
from ..factories_voting import make_proposal, make_round
from ..pg import require_postgres, reset_schema
from ..stack import flask_command

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
TRACKER_RE = re.compile(r'id="receipt">([0-9a-f]{64})<')
REDIS_URL = os.environ.get("PDV_STORM_REDIS_URL", "redis://127.0.0.1:6379/10")
FULL = os.environ.get("PDV_STORM_FULL") == "1"
#: A fixed key, so that sessions survive a restart of the stack (crash tests).
SECRET_KEY = "storm-" + "0123456789abcdef" * 4


def size(name: str, ci: int, full: int) -> int:
    """``PDV_STORM_<NAME>`` when set, else the full size under PDV_STORM_FULL=1, else CI's."""
    value = os.environ.get(f"PDV_STORM_{name}")
    return int(value) if value else (full if FULL else ci)


def seeded(label: str) -> random.Random:
    """A random generator whose seed is printed (replay with PDV_STORM_SEED)."""
    seed = int(os.environ.get("PDV_STORM_SEED") or random.SystemRandom().randrange(2**32))
    print(f"\n{label} seed: {seed}")
    return random.Random(seed)


def require_redis_url() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis not reachable at {REDIS_URL}: {error.__class__.__name__}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: Redis is required)")
        pytest.skip(reason)
    client.flushdb()
    return REDIS_URL


def fresh_database():
    """A migrated, empty PostgreSQL schema with the base world; returns (url, app)."""
    url = require_postgres()
    reset_schema(url)
    flask_command(url, "db", "upgrade")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY,
                      "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        factories.base_world()
        db.session.commit()
        _release()
    return url, app


def _release() -> None:
    """Give the test's connections back: the stack's workers need the server's slots."""
    db.session.remove()
    db.engine.dispose()


def open_vote_round(app, voters: int, rng: random.Random) -> tuple[int, list[str], list[int]]:
    """An open-vote round of Marseille Nord with ``voters`` new residents on its frozen roll.

    Returns the round id, the voters' e-mails and the ids of the five eligible proposals.
    """
    with app.app_context():
        round_ = make_round(f"Vote ouvert {rng.randrange(10**6)}", open_vote=True,
                           envelope_cents=1_000_000_00)
        proposals = [make_proposal(round_, f"Action {n}", 10_000_00 * n).id for n in range(1, 6)]
        emails = [factories.make_user(Role.RESIDENT).email for _ in range(voters)]
        phases.change_phase(round_, Phase.VOTE, factories.make_user(Role.STAFF))
        db.session.commit()
        round_id = round_.id
        _release()
    return round_id, emails, proposals


class Browser:
    """One person's browser: its own session cookie, handed back by hand (the production
    cookie is Secure and the stack listens on loopback http)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}
        self.client = httpx.Client(timeout=120)

    def _keep(self, response: httpx.Response) -> httpx.Response:
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def get(self, path: str) -> httpx.Response:
        return self._keep(self.client.get(self.base_url + path, headers=self.headers()))

    def post(self, path: str, data, *, headers: dict | None = None) -> httpx.Response:
        return self._keep(self.client.post(self.base_url + path, data=data,
                                           headers={**self.headers(), **(headers or {})}))

    def token(self, path: str) -> str:
        return CSRF_RE.search(self.get(path).text).group(1)

    def login(self, email: str) -> "Browser":
        response = self.post("/connexion", {"identifier": email, "password": factories.PASSWORD,
                                            "csrf_token": self.token("/connexion")})
        assert response.status_code == 302, f"login of {email}: {response.status_code}"
        return self

    def close(self) -> None:
        self.client.close()


def ballot_form(token: str, choices: list[int]) -> dict:
    return {"csrf_token": token, "proposal": [str(p) for p in choices]}


def send_ballot(base_url: str, round_id: int, cookies: dict, form: dict) -> httpx.Response:
    """One ballot POST on a new connection (so parallel copies spread over the workers)."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
               "Connection": "close"}
    return httpx.post(f"{base_url}/comite/appels/{round_id}/bulletin", data=form,
                      headers=headers, timeout=120)


def receipt_of(response: httpx.Response) -> str | None:
    """The tracker shown by a 2xx answer, None otherwise."""
    if not 200 <= response.status_code < 300:
        return None
    found = TRACKER_RE.search(response.text)
    return found.group(1) if found else None


def ready_voter(base_url: str, email: str, proposals: list[int], rng: random.Random) -> tuple:
    """Log a voter in once; return (cookies, ballot form) to send as often as wanted."""
    browser = Browser(base_url).login(email)
    token = browser.token("/comite/")
    browser.close()
    return dict(browser.cookies), ballot_form(token, rng.sample(proposals, rng.randint(1, 5)))


def counts(app, round_id: int) -> dict:
    """Ballots, sign-ins, distinct voters and ballots without lines of the round."""
    with app.app_context():
        def count(query):
            return db.session.scalar(query)

        result = {
            "ballots": count(sa.select(sa.func.count(Ballot.id))
                             .where(Ballot.round_id == round_id)),
            "signins": count(sa.select(sa.func.count(SignIn.id))
                             .where(SignIn.round_id == round_id)),
            "voters": count(sa.select(sa.func.count(sa.distinct(SignIn.user_id)))
                            .where(SignIn.round_id == round_id)),
            "without_lines": count(sa.select(sa.func.count(Ballot.id)).where(
                Ballot.round_id == round_id,
                ~sa.exists().where(BallotLine.ballot_id == Ballot.id))),
        }
        _release()
    return result


def close_vote(app, round_id: int) -> None:
    """Move the round to the results phase (closes the roll: the board becomes public)."""
    with app.app_context():
        phases.change_phase(db.session.get(Round, round_id), Phase.RESULTS,
                            factories.make_user(Role.STAFF))
        db.session.commit()
        _release()


def fetch_board(base_url: str, round_id: int) -> dict:
    response = httpx.get(f"{base_url}/appels/{round_id}/bulletins.json", timeout=60)
    assert response.status_code == 200
    return response.json()



def check_then_wait(monkeypatch, module, name: str, parties: int = 2) -> None:
    """Make ``module.name`` (an "already done?" check) wait for ``parties`` callers after
    reading, so that concurrent requests all pass it before any writes: only the database
    constraint can then refuse the late ones. Undo with ``monkeypatch.undo()``."""
    barrier = threading.Barrier(parties, timeout=20)
    original = getattr(module, name)

    def checked(*args, **kwargs):
        found = original(*args, **kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(module, name, checked)


def post_together(posts) -> list:
    """Send each ``(client, url, data)`` from its own thread at once; the responses in order."""
    responses = [None] * len(posts)

    def fire(index, client, url, data):
        responses[index] = client.post(url, data=data)

    threads = [threading.Thread(target=fire, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses
