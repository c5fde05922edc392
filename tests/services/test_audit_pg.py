"""The audit chain on PostgreSQL (advisory lock path): appends link up, an edit is found."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent
from pdvsolutions.services import audit

pytestmark = pytest.mark.postgres


def test_audit_chain_on_postgresql_links_rows_and_finds_an_edit(pg_app):
    with pg_app.app_context():
        for number in range(3):
            audit.record("test.event", details={"n": number})
            db.session.commit()
        assert audit.verify_chain() is None
        ids = list(db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)))
        db.session.execute(sa.text("UPDATE audit_events SET action = 'x' WHERE id = :id"),
                           {"id": ids[2]})
        db.session.commit()
        assert audit.verify_chain().id == ids[2]


def test_audit_created_at_round_trips_as_utc_on_postgresql(pg_app):
    with pg_app.app_context():
        event = audit.record("test.event")
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(AuditEvent, event.id)
        assert stored.created_at.utcoffset().total_seconds() == 0
        assert audit.verify_chain() is None
