"""Two simultaneous supports by the same resident: the database keeps one (PostgreSQL)."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Support
from pdvsolutions.services import needs as needs_service

from ..conftest import Auth, csrf_token
from ..factories_needs import needs_world
from .helpers import check_then_wait, post_together

pytestmark = pytest.mark.postgres


def test_support_twice_concurrently_is_refused_by_the_constraint(pg_app, monkeypatch):
    with pg_app.app_context():
        world = needs_world()
    clients = [pg_app.test_client() for _ in range(2)]
    tokens = []
    for client in clients:
        Auth(client).login("karim@example.org")
        tokens.append(csrf_token(client))
    # Both requests pass the "already supported?" check before either inserts: only the
    # unique constraint uq_supports_need_user can then refuse the second one.
    check_then_wait(monkeypatch, needs_service, "_existing_support")
    responses = post_together([
        (client, f"/habitants/solutions/{world['need']}/soutien", {"csrf_token": token})
        for client, token in zip(clients, tokens, strict=True)])
    assert [r.status_code for r in responses] == [302, 302]
    with pg_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Support.id))) == 1
    messages = [clients[i].get(responses[i].headers["Location"]).get_data(as_text=True)
                for i in range(2)]
    assert sum("Votre soutien est enregistré." in m for m in messages) == 1
    assert sum("Vous soutenez déjà cette solution attendue." in m for m in messages) == 1
