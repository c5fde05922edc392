"""Login limits hold across 4 gunicorn workers: the counter lives in Redis, not per process."""

import os
import re
import time

import httpx
import pytest
import redis

from pdvsolutions import create_app
from pdvsolutions.extensions import db
from pdvsolutions.models import Role

from .. import factories
from ..pg import require_postgres, reset_schema
from ..stack import flask_command, running_stack

REDIS_URL = os.environ.get("PDV_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def require_redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis not reachable at {REDIS_URL}: {error.__class__.__name__}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: Redis is required)")
        pytest.skip(reason)
    return client


def wrong_login(base_url: str, email: str) -> int:
    """One failed login from a fresh browser (new connection, new session)."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/connexion")
        # The production cookie is Secure; on loopback http we hand it back ourselves.
        cookie = page.headers["set-cookie"].split(";", 1)[0]
        response = client.post("/connexion", headers={"Cookie": cookie}, data={
            "identifier": email, "password": "Pas-Le-Bon-Mot-De-Passe-31",
            "csrf_token": TOKEN.search(page.text).group(1)})
        return response.status_code


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """4 gunicorn workers on a migrated PostgreSQL schema, limits in an empty Redis db."""
    url = require_postgres()
    require_redis().flushdb()
    reset_schema(url)
    flask_command(url, "db", "upgrade")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "k" * 40})
    with app.app_context():
        factories.base_world()
        factories.make_user(Role.RESIDENT, email="samia@example.org")
        db.session.commit()
        db.engine.dispose()
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with running_stack(url, REDIS_URL, workers=4, log_path=log_path) as running:
        running.log_path = log_path
        yield running


@pytest.mark.postgres
@pytest.mark.slow
def test_login_failures_are_limited_across_four_workers(stack):
    statuses = [wrong_login(stack.url, "samia@example.org") for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


@pytest.mark.postgres
@pytest.mark.slow
def test_access_log_masks_reset_tokens_and_query_strings(stack):
    httpx.get(stack.url + "/mot-de-passe/nouveau/Tok3n-S3cret-Value?email=samia@example.org")
    time.sleep(0.5)  # the worker flushes its access line
    log = stack.log_path.read_text()
    assert "/mot-de-passe/nouveau/***" in log
    assert "Tok3n-S3cret-Value" not in log and "samia@example.org" not in log
