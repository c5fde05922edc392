"""Every GET of the access table, whatever its status (200, 302, 403, 404), carries the headers."""

import pytest

from ..access.matrix import all_cases, login_as
from ..access.world import rebind

GETS = [case for case in all_cases() if case.method == "GET"]
PERSONAS = ["anonymous", "resident", "staff"]


def csp_directives(header: str) -> dict[str, str]:
    parts = [p.strip().split(None, 1) for p in header.split(";") if p.strip()]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", GETS, ids=lambda c: c.id)
def test_headers_present_on_every_response(world_app_shared, case, persona):
    app, world = world_app_shared
    client = app.test_client()
    with app.app_context():
        world = rebind(world)
        url = case.resolve_url(world)
        login_as(client, world.users[persona])
    response = client.get(url)
    where = f"{case.id} as {persona} ({response.status_code})"
    csp = csp_directives(response.headers.get("Content-Security-Policy", ""))
    script_src = csp.get("script-src", csp.get("default-src", ""))
    assert script_src and "'unsafe-inline'" not in script_src, where
    assert csp.get("object-src") == "'none'", where
    assert csp.get("base-uri") == "'self'", where
    assert csp.get("frame-ancestors") == "'none'", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy"), where
