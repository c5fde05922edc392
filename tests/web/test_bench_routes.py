"""The floor routes of bench/web.py: present only with PDV_BENCH=1, and doing what they claim."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Role

from .. import factories
from ..conftest import Auth, csrf_token

NEXT_XID = sa.text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")


def test_the_floor_routes_are_absent_from_normal_runs(client):
    assert client.get("/_bench/hello").status_code == 404
    # With a valid token, so that only the missing route can refuse it.
    assert client.post("/_bench/commit", data={"csrf_token": csrf_token(client)}
                       ).status_code == 404


@pytest.fixture
def bench_app(monkeypatch, request):
    monkeypatch.setenv("PDV_BENCH", "1")
    return request.getfixturevalue("pg_app")


def test_the_commit_floor_needs_a_login_and_a_token_and_commits_a_transaction(bench_app):
    with bench_app.app_context():
        factories.make_user(Role.RESIDENT, email="samia@example.org")
        db.session.commit()
        engine = db.engine
    client = bench_app.test_client()
    assert client.get("/_bench/hello").get_data(as_text=True) == "hello"
    assert client.post("/_bench/commit", data={"csrf_token": csrf_token(client)}
                       ).status_code == 401
    Auth(client).login("samia@example.org")
    assert client.post("/_bench/commit").status_code == 400  # no CSRF token
    with engine.connect() as connection:
        before = connection.scalar(NEXT_XID)
    response = client.post("/_bench/commit", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "committed"
    with engine.connect() as connection:
        # The route's transaction took an id, so its commit record went to the WAL.
        assert connection.scalar(NEXT_XID) > before


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.OPERATOR, Role.STAFF, Role.ADMIN],
                         ids=["anonymous", "resident", "operator", "staff", "admin"])
def test_every_role_meets_the_commit_floor_as_every_logged_in_post_would(bench_app, role):
    """Its row of the access table (the table walks the normal app, where it is absent):
    anonymous 401, any account 200; a wrong token is refused and writes nothing."""
    client = bench_app.test_client()
    if role is not None:
        with bench_app.app_context():
            factories.make_user(role, email="compte@example.org")
            db.session.commit()
        Auth(client).login("compte@example.org")
    with bench_app.app_context():
        engine = db.engine
    with engine.connect() as connection:
        before = connection.scalar(NEXT_XID)
    assert client.post("/_bench/commit", data={"csrf_token": "faux"}).status_code == 400
    with engine.connect() as connection:
        assert connection.scalar(NEXT_XID) == before
    response = client.post("/_bench/commit", data={"csrf_token": csrf_token(client)})
    assert response.status_code == (401 if role is None else 200)
