"""Secret ballots unlinkable from the sign-ins; equal shares with its completion.

* ``ballots``: random ids (no sequence), no ``on_paper`` (the sign-in keeps it), ``position``,
  ``prev_hash`` and ``hash`` empty while the vote is open (the urn), set when it closes, in
  tracker order.
* ``ballot_lines``: no id of their own, primary key (ballot_id, proposal_id); written when the
  vote closes.
* ``rounds.completion`` (equal shares: none, add1, add1-comparison), ``round_results.completion``
  (what the completion did) and ``outbox_messages.redact_after_send``.

Existing ballots are moved over: new random ids; in a closed vote the chain (checked first, the
migration stops if it is broken) is rebuilt in tracker order; in an open vote they go back to the
urn. Rounds already tallied keep the equal shares they were tallied with (no completion).

Revision ID: 0010_secrecy
Revises: 0009
"""

import hashlib
import json
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0010_secrecy"
down_revision = "0009"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _link(prev: str, tracker: str, content: str) -> str:
    return _sha256(prev + tracker + content)


def _read_ballots(connection) -> tuple[list[dict], set[int]]:
    ballots = [dict(row._mapping) for row in connection.execute(sa.text("SELECT * FROM ballots"))]
    closed = {row[0] for row in connection.execute(
        sa.text("SELECT round_id FROM voter_rolls WHERE closed_at IS NOT NULL"))}
    return ballots, closed


def _chain(ballots: list[dict]) -> str:
    """Give ``ballots`` (already ordered) positions and chain links; return the head."""
    prev = GENESIS
    for position, ballot in enumerate(ballots, start=1):
        ballot.update(position=position, prev_hash=prev,
                      hash=_link(prev, ballot["tracker"], ballot["content"]))
        prev = ballot["hash"]
    return prev


def _check_old_chain(round_id: int, ballots: list[dict]) -> None:
    prev = GENESIS
    for ballot in sorted(ballots, key=lambda b: b["position"]):
        if (ballot["prev_hash"] != prev or ballot["tracker"] != _sha256(
                ballot["content"] + ballot["nonce"]) or ballot["hash"] != _link(
                prev, ballot["tracker"], ballot["content"])):
            raise RuntimeError(f"round {round_id}: ballot chain broken at position "
                               f"{ballot['position']}; verify the board before migrating")
        prev = ballot["hash"]


def _lines_of(ballot: dict) -> list[dict]:
    return [{"ballot_id": ballot["id"], "proposal_id": int(pid), "points": points}
            for pid, points in json.loads(ballot["content"]).items()]


def _set_head(connection, round_id: int, head: str) -> None:
    connection.execute(sa.text("UPDATE voter_rolls SET head_hash = :head WHERE round_id = :r"),
                       {"head": head, "r": round_id})


def _by_round(ballots: list[dict]) -> dict[int, list[dict]]:
    rounds: dict[int, list[dict]] = {}
    for ballot in ballots:
        rounds.setdefault(ballot["round_id"], []).append(ballot)
    return rounds


def upgrade():
    connection = op.get_bind()
    ballots, closed = _read_ballots(connection)
    rounds = _by_round(ballots)
    for round_id, kept in rounds.items():
        if round_id in closed:
            _check_old_chain(round_id, kept)
    op.drop_table("ballot_lines")
    op.drop_table("ballots")
    ballots_table = op.create_table(
        "ballots",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("tracker", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_ballots_round_id_rounds"),
        sa.PrimaryKeyConstraint("id", name="pk_ballots"),
        sa.UniqueConstraint("hash", name="uq_ballots_hash"),
        sa.UniqueConstraint("round_id", "position", name="uq_ballots_round_position"),
        sa.UniqueConstraint("tracker", name="uq_ballots_tracker"),
    )
    op.create_index("ix_ballots_round_id", "ballots", ["round_id"])
    lines_table = op.create_table(
        "ballot_lines",
        sa.Column("ballot_id", sa.BigInteger(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.CheckConstraint("points > 0", name="ck_ballot_lines_points_positive"),
        sa.ForeignKeyConstraint(["ballot_id"], ["ballots.id"],
                                name="fk_ballot_lines_ballot_id_ballots"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"],
                                name="fk_ballot_lines_proposal_id_proposals"),
        sa.PrimaryKeyConstraint("ballot_id", "proposal_id", name="pk_ballot_lines"),
    )
    op.create_index("ix_ballot_lines_proposal_id", "ballot_lines", ["proposal_id"])
    for round_id, kept in rounds.items():
        kept.sort(key=lambda b: b["tracker"])
        used: set[int] = set()
        for ballot in kept:
            ballot.pop("on_paper", None)
            ballot["id"] = secrets.randbits(62) + 1
            while ballot["id"] in used:  # pragma: no cover - 1 in 2**62
                ballot["id"] = secrets.randbits(62) + 1
            used.add(ballot["id"])
        if round_id in closed:
            _set_head(connection, round_id, _chain(kept))
            lines = [line for ballot in kept for line in _lines_of(ballot)]
        else:
            for ballot in kept:
                ballot.update(position=None, prev_hash=None, hash=None)
            _set_head(connection, round_id, GENESIS)
            lines = []
        op.bulk_insert(ballots_table, kept)
        if lines:
            op.bulk_insert(lines_table, lines)

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("redact_after_send", sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    with op.batch_alter_table("round_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completion", sa.Text(), nullable=True))
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "completion", sa.Enum("none", "add1", "add1-comparison", name="completion",
                                  native_enum=False, create_constraint=True, length=24),
            server_default="add1", nullable=False))
    # A round already tallied was tallied without completion: its setting says so.
    connection.execute(sa.text(
        "UPDATE rounds SET completion = 'none' WHERE id IN (SELECT round_id FROM round_results)"))


def downgrade():
    connection = op.get_bind()
    ballots, _closed = _read_ballots(connection)
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_rounds_completion"), type_="check")
        batch_op.drop_column("completion")
    with op.batch_alter_table("round_results", schema=None) as batch_op:
        batch_op.drop_column("completion")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("redact_after_send")
    op.drop_table("ballot_lines")
    op.drop_table("ballots")
    ballots_table = op.create_table(
        "ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tracker", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("on_paper", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_ballots_round_id_rounds"),
        sa.PrimaryKeyConstraint("id", name="pk_ballots"),
        sa.UniqueConstraint("hash", name="uq_ballots_hash"),
        sa.UniqueConstraint("round_id", "position", name="uq_ballots_round_position"),
        sa.UniqueConstraint("tracker", name="uq_ballots_tracker"),
    )
    op.create_index("ix_ballots_round_id", "ballots", ["round_id"])
    lines_table = op.create_table(
        "ballot_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.CheckConstraint("points > 0", name="ck_ballot_lines_points_positive"),
        sa.ForeignKeyConstraint(["ballot_id"], ["ballots.id"],
                                name="fk_ballot_lines_ballot_id_ballots"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"],
                                name="fk_ballot_lines_proposal_id_proposals"),
        sa.PrimaryKeyConstraint("id", name="pk_ballot_lines"),
        sa.UniqueConstraint("ballot_id", "proposal_id", name="uq_ballot_lines_proposal"),
    )
    op.create_index("ix_ballot_lines_ballot_id", "ballot_lines", ["ballot_id"])
    op.create_index("ix_ballot_lines_proposal_id", "ballot_lines", ["proposal_id"])
    # The old schema chains every ballot as it arrives: ballots still in the urn are chained
    # in tracker order, as the closed ones already are.
    next_id, line_id = 1, 1
    for round_id, kept in sorted(_by_round(ballots).items()):
        kept.sort(key=lambda b: b["tracker"])
        _set_head(connection, round_id, _chain(kept))
        lines = []
        for ballot in kept:
            ballot.update(id=next_id, on_paper=False)
            next_id += 1
            for line in _lines_of(ballot):
                lines.append({**line, "id": line_id})
                line_id += 1
        op.bulk_insert(ballots_table, kept)
        if lines:
            op.bulk_insert(lines_table, lines)
    if connection.dialect.name == "postgresql":
        for table, column in (("ballots", "id"), ("ballot_lines", "id")):
            connection.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"))
