"""Secrecy against whoever reads the database: from a dump taken after 30 votes, the sign-ins
(who voted, in which order, when) cannot be joined to the ballots (what was voted).

The dump is what ``pg_dump`` writes: ``COPY table TO STDOUT``, rows in physical order. The order
of arrival is known to the test only (it plays the voters); the assertions say that nothing on
the ballot side follows it. See docs/secrecy.md for what stays out of reach (row versions and
write-ahead log before VACUUM, physical order during the vote).
"""

import io
import random

import pytest
import sqlalchemy as sa
from psycopg import sql

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, BallotLine, Role, Round
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from .. import factories
from ..factories_voting import add_member, make_proposal, make_round
from ..pg import pg_app  # noqa: F401 - fixture

pytestmark = pytest.mark.postgres

VOTERS = 30


def _copy(table: str, columns: str = "*") -> list[list[str]]:
    """Rows of ``table`` as pg_dump writes them (COPY … TO STDOUT: physical order)."""
    raw = db.session.connection().connection.driver_connection
    out = io.StringIO()
    query = sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT").format(sql.SQL(columns),
                                                                 sql.Identifier(table))
    with raw.cursor() as cursor, cursor.copy(query) as copy:
        for block in copy:
            out.write(bytes(block).decode())
    return [line.split("\t") for line in out.getvalue().splitlines()]


def _spearman(ranks: list[int]) -> float:
    """Rank correlation of ``ranks`` with 0, 1, 2, … (1: same order, -1: reversed)."""
    n = len(ranks)
    return 1 - 6 * sum((r - i) ** 2 for i, r in enumerate(ranks)) / (n * (n * n - 1))


def _rank_in_arrival(values_by_tracker: dict[str, object], arrival: list[str]) -> list[int]:
    """For each ballot in order of arrival, the rank of its value (id, position, place)."""
    ordered = sorted(arrival, key=lambda t: values_by_tracker[t])
    rank = {t: i for i, t in enumerate(ordered)}
    return [rank[t] for t in arrival]


def _unlinkable(ranks: list[int]) -> None:
    # Old schema (sequence ids, chain in order of arrival): ranks == 0..29, correlation 1.
    # A random order: |correlation| above 0.8 has a probability below 1e-4 for 30 ballots.
    assert ranks != sorted(ranks) and ranks != sorted(ranks, reverse=True)
    assert abs(_spearman(ranks)) < 0.8, ranks


@pytest.fixture
def thirty_votes(pg_app):  # noqa: F811 - fixture
    """30 members vote one after the other (each in its own transaction, like requests)."""
    rng = random.Random(20261126)
    with pg_app.app_context():
        round_ = make_round(envelope_cents=1_000_000_00)
        proposals = [make_proposal(round_, f"Action {n}", 10_000_00 * n).id for n in range(1, 6)]
        members = [add_member(round_, factories.make_user(Role.RESIDENT))
                   for _ in range(VOTERS)]
        staff = factories.make_user(Role.STAFF)
        phases.change_phase(round_, Phase.VOTE, staff)
        db.session.commit()
        rng.shuffle(members)
        arrival = []
        for member in members:
            choices = {pid: 1 for pid in rng.sample(proposals, rng.randint(1, 5))}
            ballot = voting.cast_ballot(round_, member, choices)
            voting.send_receipt(round_, member, ballot)
            db.session.commit()
            arrival.append(ballot.tracker)
        yield {"round_id": round_.id, "staff_id": staff.id, "arrival": arrival}


def test_ballot_side_has_no_time_no_identity_and_no_sequence(thirty_votes):
    inspector = sa.inspect(db.engine)
    for table in ("ballots", "ballot_lines"):
        columns = inspector.get_columns(table)
        assert not [c["name"] for c in columns
                    if isinstance(c["type"], sa.DateTime | sa.Date | sa.Time)]
        assert all(c.get("default") is None for c in columns), "a sequence numbers the rows"
        assert {fk["referred_table"] for fk in inspector.get_foreign_keys(table)} <= {
            "rounds", "ballots", "proposals"}
    assert {c["name"] for c in inspector.get_columns("ballots")} == {
        "id", "round_id", "position", "tracker", "nonce", "content", "prev_hash", "hash"}


def test_dump_during_the_vote_cannot_join_sign_ins_and_ballots(thirty_votes):
    arrival = thirty_votes["arrival"]
    signins = _copy("signins", "id, user_id, signed_at")
    assert len(signins) == VOTERS
    ballots = _copy("ballots", "id, tracker, position, prev_hash, hash")
    assert {row[1] for row in ballots} == set(arrival)
    # In the urn: no place in the chain, no link, no lines yet.
    assert {tuple(row[2:]) for row in ballots} == {(r"\N", r"\N", r"\N")}
    assert _copy("ballot_lines") == []
    _unlinkable(_rank_in_arrival({row[1]: int(row[0]) for row in ballots}, arrival))


def test_dump_after_closing_cannot_join_sign_ins_and_ballots(thirty_votes):
    arrival = thirty_votes["arrival"]
    round_ = db.session.get(Round, thirty_votes["round_id"])
    phases.change_phase(round_, Phase.RESULTS, db.session.get(factories.User,
                                                              thirty_votes["staff_id"]))
    db.session.commit()
    ballots = _copy("ballots", "id, tracker, position")
    by_tracker = {row[1]: row for row in ballots}
    # The chain follows the receipts: position = rank of the tracker.
    assert [int(by_tracker[t][2]) for t in sorted(arrival)] == list(range(1, VOTERS + 1))
    _unlinkable(_rank_in_arrival({t: int(row[2]) for t, row in by_tracker.items()}, arrival))
    _unlinkable(_rank_in_arrival({t: int(row[0]) for t, row in by_tracker.items()}, arrival))
    # Closing rewrote every ballot: the dump's order (physical) no longer follows arrival.
    place = {row[1]: i for i, row in enumerate(ballots)}
    _unlinkable(_rank_in_arrival(place, arrival))
    lines = _copy("ballot_lines", "ballot_id")
    assert len({row[0] for row in lines}) == VOTERS
    # Every ballot row and line now carries the closing transaction's id, no voter's.
    ballot_xmins = {row[0] for row in _copy("ballots", "xmin")}
    assert len(ballot_xmins) == 1
    assert {row[0] for row in _copy("ballot_lines", "xmin")} == ballot_xmins
    assert ballot_xmins.isdisjoint(row[0] for row in _copy("signins", "xmin"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotLine)) == len(lines)
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == VOTERS


def test_no_receipt_is_left_outside_the_ballots_once_the_mail_is_sent(thirty_votes, pg_app,  # noqa: F811
                                                                      smtp_server):
    pg_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    db.session.commit()
    result = pg_app.test_cli_runner().invoke(args=["outbox", "send"])
    assert f"sent: {VOTERS}, failed: 0" in result.output
    trackers = set(thirty_votes["arrival"])
    assert {t for t in trackers if any(t in m for m in smtp_server.messages)} == trackers
    for table in db.metadata.sorted_tables:
        if table.name == "ballots":
            continue
        dump = "\n".join("\t".join(row) for row in _copy(table.name))
        assert not [t for t in trackers if t in dump], f"a receipt is left in {table.name}"


def test_closing_while_a_ballot_is_being_written_waits_for_it(pg_app, monkeypatch):  # noqa: F811
    """A phase change to results during a ballot's transaction: no deadlock, ballot chained."""
    import threading
    import time

    from pdvsolutions.models import VoterRoll

    with pg_app.app_context():
        round_ = make_round()
        pid = make_proposal(round_, "Action", 10_000_00).id
        member = add_member(round_, factories.make_user(Role.RESIDENT))
        staff = factories.make_user(Role.STAFF)
        phases.change_phase(round_, Phase.VOTE, staff)
        db.session.commit()
        ids = round_.id, member.id, staff.id
    roll_locked, closing_started = threading.Event(), threading.Event()
    refresh = db.session.refresh
    outcome = {}

    def paused_refresh(instance, *args, **kwargs):
        refresh(instance, *args, **kwargs)
        if isinstance(instance, VoterRoll) and threading.current_thread().name == "voter":
            roll_locked.set()  # the ballot's transaction holds its locks on round and roll
            closing_started.wait(10)
            time.sleep(0.5)  # let the closing transaction reach its locks

    monkeypatch.setattr(db.session, "refresh", paused_refresh)

    def vote():
        with pg_app.app_context():
            try:
                ballot = voting.cast_ballot(db.session.get(Round, ids[0]),
                                            db.session.get(factories.User, ids[1]), {pid: 1})
                db.session.commit()
                outcome["tracker"] = ballot.tracker
            except Exception as error:  # noqa: BLE001 - reported below
                outcome["vote"] = repr(error)

    def close():
        roll_locked.wait(10)
        closing_started.set()
        with pg_app.app_context():
            try:
                phases.change_phase(db.session.get(Round, ids[0]), Phase.RESULTS,
                                    db.session.get(factories.User, ids[2]))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                outcome["close"] = repr(error)

    threads = [threading.Thread(target=vote, name="voter"), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert set(outcome) == {"tracker"}, outcome
    with pg_app.app_context():
        ballot = db.session.scalar(sa.select(Ballot))
        assert (ballot.tracker, ballot.position) == (outcome["tracker"], 1)
