"""``insert_now``: one INSERT through Core, the object attached as if it had been loaded."""

import sqlalchemy as sa

from pdvsolutions.extensions import db, insert_now
from pdvsolutions.models import OutboxMessage
from pdvsolutions.timeutil import utcnow

from ..conftest import count


def test_insert_now_writes_the_row_with_the_table_defaults_and_attaches_it(app_ctx):
    before = utcnow()
    message = insert_now(OutboxMessage(to_address="a@example.org", kind="test",
                                       subject="Objet", body="Corps"))
    # Defaults filled by the table and read back: the key, the time, the counters.
    assert message.id is not None and message.attempts == 0
    assert message.created_at >= before and message.redact_after_send is False
    state = sa.inspect(message)
    assert state.persistent and not db.session.dirty and message not in db.session.new
    assert db.session.get(OutboxMessage, message.id) is message  # the same identity
    message.subject = "Autre objet"  # a change afterwards is flushed as an UPDATE
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).subject == "Autre objet"


def test_insert_now_is_undone_by_the_rollback(app_ctx):
    insert_now(OutboxMessage(to_address="a@example.org", kind="test", subject="O", body="C"))
    assert count(OutboxMessage) == 1
    db.session.rollback()
    assert count(OutboxMessage) == 0
