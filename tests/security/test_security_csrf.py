"""Every POST of the access table without a valid CSRF token → 400, and nothing changes."""

import pytest

from ..access.matrix import all_cases, login_as
from ..access.world import rebind
from ..conftest import csrf_token
from . import snapshot

POSTS = [case for case in all_cases() if case.method == "POST"]


def allowed_persona(case, world) -> str:
    """A persona to whom the case answers its ``ok`` status (the attack must not be a 403)."""
    for name in world.users:
        if case.expected(name, world.groups[name]) == case.ok:
            return name
    raise AssertionError(f"{case.id}: no persona is allowed")


BAD_TOKEN = "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.aaaa.bbbb"


@pytest.mark.parametrize("case", POSTS, ids=lambda c: c.id)
def test_csrf_post_without_valid_token_is_refused(world_app, case):
    """No token, a forged one, another session's valid one: 400 each time, database unchanged."""
    app, world = world_app
    client, other = app.test_client(), app.test_client()
    with app.app_context():
        world = rebind(world)
        url = case.resolve_url(world)
        data = case.resolve_data(world)
        login_as(client, world.users[allowed_persona(case, world)])
        login_as(other, world.users["staff"])
        before = snapshot.rows()
    data.pop("csrf_token", None)
    for name, token in [("missing", None), ("bad", BAD_TOKEN),
                        ("other_session", csrf_token(other))]:
        sent = data if token is None else {**data, "csrf_token": token}
        response = client.post(url, data=sent)
        assert response.status_code == 400, f"{case.id}, {name} token: {response.status_code}"
        with app.app_context():
            assert snapshot.rows() == before, f"{case.id}, {name} token changed the database"
