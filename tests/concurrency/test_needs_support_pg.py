"""Simultaneous supports of one need (PostgreSQL): one per resident, every one counted, none
answered with a server error."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Need, Support
from pdvsolutions.services import needs as needs_service

from ..conftest import Auth, csrf_token
from ..factories_needs import needs_world
from .helpers import check_then_wait, post_together

pytestmark = pytest.mark.postgres


def _support_together(app, world, emails):
    clients = [app.test_client() for _ in emails]
    tokens = []
    for client, email in zip(clients, emails, strict=True):
        Auth(client).login(email)
        tokens.append(csrf_token(client))
    responses = post_together([
        (client, f"/habitants/solutions/{world['need']}/soutien", {"csrf_token": token})
        for client, token in zip(clients, tokens, strict=True)])
    messages = [client.get(response.headers["Location"]).get_data(as_text=True)
                if response.status_code == 302 else ""
                for client, response in zip(clients, responses, strict=True)]
    return [r.status_code for r in responses], messages


def _need_count(app, world) -> tuple[int, int]:
    """The need's stored support count and the number of support rows."""
    with app.app_context():
        stored = db.session.scalar(sa.select(Need.support_count).where(Need.id == world["need"]))
        rows = db.session.scalar(sa.select(sa.func.count(Support.id))
                                 .where(Support.need_id == world["need"]))
        return stored, rows


def _assert_one_kept(app, world, statuses, messages) -> None:
    """One support counted; one resident told it is saved, the other that it already was."""
    assert statuses == [302, 302]
    assert _need_count(app, world) == (1, 1)
    assert sum("Votre soutien est enregistré." in m for m in messages) == 1
    assert sum("Vous soutenez déjà cette solution attendue." in m for m in messages) == 1


def test_two_residents_supporting_one_need_at_once_are_both_counted(pg_app):
    # Each support locks the need and moves its count: the lock must be the one the count's
    # UPDATE takes, or the two requests deadlock and one is lost behind a 503.
    with pg_app.app_context():
        world = needs_world()
    for attempt in range(5):
        with pg_app.app_context():
            db.session.execute(sa.delete(Support))
            db.session.execute(sa.update(Need).values(support_count=0))
            db.session.commit()
        statuses, messages = _support_together(
            pg_app, world, ["karim@example.org", "samia@example.org"])
        assert statuses == [302, 302], f"attempt {attempt}"
        assert all("Votre soutien est enregistré." in m for m in messages)
        assert _need_count(pg_app, world) == (2, 2)


def test_support_twice_at_once_by_one_resident_keeps_one(pg_app):
    with pg_app.app_context():
        world = needs_world()
    statuses, messages = _support_together(
        pg_app, world, ["karim@example.org", "karim@example.org"])
    _assert_one_kept(pg_app, world, statuses, messages)


def test_support_twice_concurrently_is_refused_by_the_constraint(pg_app, monkeypatch):
    with pg_app.app_context():
        world = needs_world()
    # Without the row lock, both requests pass the "already supported?" check before either
    # inserts: only the unique constraint uq_supports_need_user can then refuse the second.
    monkeypatch.setattr(needs_service, "_locking",
                        lambda need_ids, count: needs_service._in_id_order(need_ids))
    check_then_wait(monkeypatch, needs_service, "_existing_support")
    statuses, messages = _support_together(
        pg_app, world, ["karim@example.org", "karim@example.org"])
    _assert_one_kept(pg_app, world, statuses, messages)
