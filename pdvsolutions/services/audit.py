"""Write and verify the hash-chained audit log."""

import hashlib
import json

import sqlalchemy as sa
from flask import g, has_request_context
from flask_login import current_user

from ..extensions import db
from ..models import AuditEvent
from ..timeutil import utcnow

GENESIS = "0" * 64
#: Arbitrary constant key of the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_KEY = 7_004_211
# Built once: every write of the platform appends here.
_CHAIN_LOCK = sa.text("SELECT pg_advisory_xact_lock(:key)")
_LAST_HASH = sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
_INSERT = sa.insert(AuditEvent.__table__)


def _digest(event: AuditEvent) -> str:
    payload = json.dumps(
        {
            "at": event.created_at.isoformat(timespec="microseconds"),
            "actor": event.actor_id,
            "role": event.actor_role,
            "action": event.action,
            "object": [event.object_type, event.object_id],
            "outcome": event.outcome,
            "request": event.request_id,
            "details": event.details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((event.prev_hash + payload).encode()).hexdigest()


def _current_actor() -> tuple[int | None, str]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.role.value
    return None, "anonymous" if has_request_context() else "system"


def record(
    action: str,
    obj=None,
    *,
    outcome: str = "success",
    actor=None,
    details: dict | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction (the view commits)."""
    if actor is not None:
        actor_id, actor_role = actor.id, actor.role.value
    else:
        actor_id, actor_role = _current_actor()
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = obj.id if object_id is None else object_id
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Two transactions appending at once would fork the chain; the lock ends at commit.
        session.execute(_CHAIN_LOCK, {"key": _CHAIN_LOCK_KEY})
    last = session.scalar(_LAST_HASH)
    values = {
        "created_at": utcnow(),
        "actor_id": actor_id,
        "actor_role": actor_role,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "outcome": outcome,
        "request_id": g.get("request_id") if has_request_context() else None,
        "details": json.dumps(details or {}, sort_keys=True, ensure_ascii=False),
        "prev_hash": last or GENESIS,
    }
    event = AuditEvent(**values)
    event.hash = values["hash"] = _digest(event)
    # A plain INSERT, not a flush of the whole session: the chain lock above is held until the
    # commit, so the less this does after taking it, the less other writers wait.
    event.id = session.execute(_INSERT, values).inserted_primary_key[0]
    return event


def verify_chain(batch_size: int = 1000) -> AuditEvent | None:
    """Return the first row whose hash or link is wrong, or None when the chain holds."""
    prev = GENESIS
    last_id = 0
    while True:
        rows = db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch_size)
        ).all()
        if not rows:
            return None
        for event in rows:
            if event.prev_hash != prev or _digest(event) != event.hash:
                return event
            prev = event.hash
            last_id = event.id
        db.session.expunge_all()
