"""Every endpoint is in the access table, and answers each persona as the table says."""

import pytest

from ..conftest import csrf_token
from ..security.test_security_headers import assert_security_headers
from .matrix import all_cases, login_as, persona_names
from .world import rebind

CASES = all_cases()


def test_access_table_covers_every_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    covered = {case.endpoint for case in CASES}
    missing = sorted(endpoints - covered)
    assert not missing, f"endpoints without an entry in tests/access/table_*.py: {missing}"
    unknown = sorted(covered - endpoints)
    assert not unknown, f"entries for endpoints that do not exist: {unknown}"


@pytest.mark.parametrize("persona", persona_names())
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access_matches_table(world_app, case, persona):
    app, world = world_app
    client = app.test_client()
    with app.app_context():
        world = rebind(world)
        url = case.resolve_url(world)
        data = case.resolve_data(world)
        login_as(client, world.users[persona])
        expected = case.expected(persona, world.groups[persona])
    if case.method == "POST":
        data.setdefault("csrf_token", csrf_token(client))
        response = client.post(url, data=data)
    else:
        response = client.get(url)
    assert response.status_code == expected, (
        f"{case.id} as {persona}: got {response.status_code}, expected {expected}"
    )
    # Every answer, POSTs included (accepted, refused or redirected), carries the headers.
    response.close()
    assert_security_headers(response, f"{case.method} {case.id} as {persona}")
    if response.status_code == 302 and expected == 302 and persona == "anonymous" \
            and case.anonymous == 302 and not ({"anonymous", "all"} & set(case.allowed)):
        assert "/connexion" in response.headers["Location"]
