"""The vote of a round: frozen voter roll, secret ballots on a hash chain, and the result.

Secrecy: a ``Ballot`` row holds no voter identity and no time; who voted lives only in
``SignIn`` (émargement), written in the same transaction. Nothing on the ballot side follows the
order of arrival: its id is random, and while the vote is open a ballot sits in the urn as a
sealed envelope (content, nonce, tracker) without position, chain link or lines. Closing the vote
chains every ballot in tracker order and writes its lines (see ``services.voting.seal_urn``).
"""

import json
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column
from .rounds import TallyRule


class VoterRoll(db.Model):
    """The list of people allowed to vote in a round, frozen when the vote opens."""

    __tablename__ = "voter_rolls"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), unique=True)
    size: Mapped[int] = mapped_column()
    #: sha256 of the sorted pseudonymous ids, published on the round page and on the board.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when staff close the vote: no ballot after it, the board becomes public.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Hash of the last ballot of the chain, set when the vote closes (the genesis value
    #: before, and for a vote without ballots).
    head_hash: Mapped[str] = mapped_column(sa.String(64))

    round = relationship("Round")
    entries: Mapped[list["VoterRollEntry"]] = relationship(
        back_populates="roll", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<VoterRoll round={self.round_id} size={self.size}>"


class VoterRollEntry(db.Model):
    """One person on a frozen roll; the pseudonym is what the fingerprint is made of."""

    __tablename__ = "voter_roll_entries"
    __table_args__ = (
        sa.UniqueConstraint("roll_id", "user_id", name="uq_voter_roll_entries_user"),
        sa.UniqueConstraint("roll_id", "pseudonym", name="uq_voter_roll_entries_pseudonym"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_id: Mapped[int] = mapped_column(sa.ForeignKey("voter_rolls.id"), index=True)
    #: Null for the anonymous voters of an imported election (Pabulib), which have no account.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Random id, unrelated to the account id, so the fingerprint reveals nobody.
    pseudonym: Mapped[str] = mapped_column(sa.String(32))
    #: The member's college at freezing time (None in an open vote).
    college: Mapped[str | None] = mapped_column(sa.String(80))

    roll: Mapped[VoterRoll] = relationship(back_populates="entries")

    def __repr__(self) -> str:
        return f"<VoterRollEntry roll={self.roll_id}>"


def random_ballot_id() -> int:
    """A random positive 62-bit id: ballot ids say nothing about the order of arrival."""
    return secrets.randbits(62) + 1


class Ballot(db.Model):
    """A cast ballot: no voter identity, no time, no arrival order; chained when the vote closes.

    Whether it was handed in on paper is on the sign-in only: a paper mark on the ballot would
    link the few paper ballots to the few paper sign-ins.
    """

    __tablename__ = "ballots"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "position", name="uq_ballots_round_position"),
    )

    #: Random (``random_ballot_id``), never a sequence.
    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False,
                                    default=random_ballot_id)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    #: 1, 2, 3… in tracker order, set when the vote closes (None while in the urn).
    position: Mapped[int | None] = mapped_column()
    #: The receipt code: sha256(content + nonce).
    tracker: Mapped[str] = mapped_column(sa.String(64), unique=True)
    nonce: Mapped[str] = mapped_column(sa.String(64))
    #: Canonical JSON of the choices (see rules/board.py); what the tracker commits to.
    content: Mapped[str] = mapped_column(sa.Text)
    #: Chain link, set when the vote closes (None while in the urn).
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    lines: Mapped[list["BallotLine"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", order_by="BallotLine.proposal_id"
    )

    def __repr__(self) -> str:
        return f"<Ballot round={self.round_id} #{self.position}>"


class BallotLine(db.Model):
    """One approved proposal of a ballot (points = 1 for approval ballots).

    Written when the vote closes, from the ballot's content; no id of its own (a sequence would
    number the lines in the order of arrival).
    """

    __tablename__ = "ballot_lines"
    __table_args__ = (sa.CheckConstraint("points > 0", name="points_positive"),)

    ballot_id: Mapped[int] = mapped_column(sa.BigInteger, sa.ForeignKey("ballots.id"),
                                           primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), primary_key=True,
                                             index=True)
    points: Mapped[int] = mapped_column(default=1)

    ballot: Mapped[Ballot] = relationship(back_populates="lines")

    def __repr__(self) -> str:
        return f"<BallotLine ballot={self.ballot_id} proposal={self.proposal_id}>"


class RoundResult(db.Model):
    """The tally of a round by its rule, with the explanation step by step."""

    __tablename__ = "round_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), unique=True)
    rule: Mapped[TallyRule] = mapped_column(enum_column(TallyRule))
    #: JSON list of the selected proposal ids, sorted.
    selected: Mapped[str] = mapped_column(sa.Text)
    #: JSON list of explanation steps (structured codes, translated on display).
    explanation: Mapped[str] = mapped_column(sa.Text)
    #: JSON object proposal id → votes (approvals or points).
    scores: Mapped[str] = mapped_column(sa.Text, default="{}")
    spent_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: Equal shares: JSON of what the completion did (method, per-voter share in cents before
    #: and after, comparison with greedy); None for greedy and for results tallied before
    #: completions existed (then computed without one).
    completion: Mapped[str | None] = mapped_column(sa.Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published: Mapped[bool] = mapped_column(default=False)

    round = relationship("Round")

    @property
    def selected_ids(self) -> list[int]:
        return json.loads(self.selected)

    @property
    def steps(self) -> list[dict]:
        return json.loads(self.explanation)

    @property
    def completion_info(self) -> dict | None:
        return json.loads(self.completion) if self.completion else None

    @property
    def score_by_id(self) -> dict[int, int]:
        return {int(pid): score for pid, score in json.loads(self.scores).items()}

    def __repr__(self) -> str:
        return f"<RoundResult round={self.round_id} {self.rule.value}>"
