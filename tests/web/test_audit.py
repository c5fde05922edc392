"""The hash-chained audit log: the verify command names an edited row; staff filter it."""

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Role
from pdvsolutions.services import audit

from .. import factories
from ..conftest import csrf_token


def _events(app, n=3):
    with app.test_request_context():
        for number in range(n):
            audit.record("test.event", outcome="success", details={"n": number})
        db.session.commit()
        return list(db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)))


def test_audit_verify_accepts_an_intact_chain(app):
    _events(app)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "audit chain OK" in result.output


def test_audit_verify_names_an_edited_row(app):
    ids = _events(app)
    with app.app_context():
        db.session.execute(sa.text("UPDATE audit_events SET outcome = 'denied' WHERE id = :id"),
                           {"id": ids[1]})
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[1]} " in result.output


def test_audit_verify_names_the_row_after_a_deleted_one(app):
    ids = _events(app)
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[2]} " in result.output


def test_audit_verify_detects_a_rehashed_row_by_its_link(app):
    ids = _events(app)
    with app.app_context():
        from pdvsolutions.services.audit import _digest

        event = db.session.get(AuditEvent, ids[0])
        event.details = '{"n": 99}'
        event.hash = _digest(event)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[1]} " in result.output


def test_audit_record_links_each_row_to_the_previous_one(app):
    ids = _events(app)
    with app.app_context():
        rows = [db.session.get(AuditEvent, i) for i in ids]
        assert rows[0].prev_hash == audit.GENESIS
        assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
        assert rows[0].created_at.tzinfo is not None


def _staff_client(app, client, auth):
    with app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        factories.make_user(Role.RESIDENT, email="nadia@example.org")
        db.session.commit()
    other = app.test_client()
    other.post("/connexion", data={"identifier": "nadia@example.org", "password": "wrong",
                                   "csrf_token": csrf_token(other, "/connexion")})
    auth.login("agent@example.org")
    return client


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return body.split("<tr>")[1:]


def test_audit_list_filters_by_action_and_outcome(app, client, auth):
    _staff_client(app, client, auth)
    html = client.get("/agents/journal?action=auth.login&outcome=failure").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 1
    assert "auth.login" in rows[0] and "failure" in rows[0]


def test_audit_list_filters_by_actor(app, client, auth):
    _staff_client(app, client, auth)
    with app.app_context():
        staff_id = db.session.scalar(sa.select(AuditEvent.actor_id).where(
            AuditEvent.action == "auth.login", AuditEvent.outcome == "success"))
    rows = _rows(client.get(f"/agents/journal?actor_id={staff_id}").get_data(as_text=True))
    assert rows and all(f"<td>{staff_id}</td>" in row for row in rows)


def test_audit_list_filters_by_dates(app, client, auth):
    _staff_client(app, client, auth)
    assert len(_rows(client.get("/agents/journal?until=2000-01-01").get_data(as_text=True))) == 1
    assert "Aucun événement." in client.get("/agents/journal?until=2000-01-01").get_data(
        as_text=True)
    assert len(_rows(client.get("/agents/journal?since=2000-01-01").get_data(as_text=True))) >= 2


def test_audit_list_bad_filter_is_a_french_message_not_an_error(app, client, auth):
    _staff_client(app, client, auth)
    response = client.get("/agents/journal?actor_id=abc&since=hier")
    assert response.status_code == 200
    assert "Un nombre entier." in response.get_data(as_text=True)
