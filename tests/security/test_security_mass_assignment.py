"""Extra fields posted to every form of the access table are never persisted.

Each POST runs twice on two fresh copies of the world: as the table sends it, and with extra
fields an attacker would add. Roles, phases, statuses, owners and amounts must end up the same.
"""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Organization

from ..access.matrix import all_cases, login_as
from ..access.world import rebind
from ..conftest import csrf_token
from . import snapshot
from .test_security_csrf import allowed_persona

POSTS = [case for case in all_cases() if case.method == "POST"]


def injected(world) -> dict[str, str]:
    other_org = db.session.scalar(sa.select(sa.func.max(Organization.id)))
    return {
        "role": "admin", "is_admin": "1", "round_id": str(world["draft"].id),
        "status": "eligible", "amount_cents": "999999999", "requested_cents": "1",
        "user_id": str(world.users["resident_other"].id),
        "organization_id": str(other_org), "phase": "closed",
    }


def post(app, world, case, extra: bool):
    client = app.test_client()
    with app.app_context():
        world = rebind(world)
        data = case.resolve_data(world)
        if extra:
            data = {**injected(world), **data}  # the form's own fields keep their values
        login_as(client, world.users[allowed_persona(case, world)])
        url = case.resolve_url(world)
    data.setdefault("csrf_token", csrf_token(client))
    response = client.post(url, data=data)
    with app.app_context():
        return response.status_code, snapshot.sensitive()


@pytest.mark.parametrize("case", POSTS, ids=lambda c: c.id)
def test_mass_assignment_extra_fields_are_ignored(world_app_pair, case):
    (plain_app, attacked_app), world = world_app_pair
    plain_status, plain = post(plain_app, world, case, extra=False)
    attacked_status, attacked = post(attacked_app, world, case, extra=True)
    assert attacked_status == plain_status
    watched = {table for table, _ in plain}
    assert {"users", "rounds", "proposals", "needs"} <= watched
    changed = {key: (plain.get(key), attacked.get(key))
               for key in plain.keys() | attacked.keys() if plain.get(key) != attacked.get(key)}
    assert not changed, f"{case.id}: extra fields persisted: {changed}"
