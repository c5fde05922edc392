"""The public bulletin board of a closed vote, as the JSON document described in rules/board.py."""

import sqlalchemy as sa

from ..extensions import db
from ..models import Ballot, Round, SignIn
from ..rules import board as board_rules
from . import voting


def board_ballots(round_: Round) -> list[Ballot]:
    return list(db.session.scalars(
        sa.select(Ballot).where(Ballot.round_id == round_.id).order_by(Ballot.position)))


def build_board(round_: Round) -> dict:
    """Everything needed to recount the vote and check it: roll, sign-ins, ballots, chain."""
    roll = voting.roll_of(round_)
    signins = db.session.scalar(
        sa.select(sa.func.count(SignIn.id)).where(SignIn.round_id == round_.id))
    projects = [{"id": str(p.id), "cost": p.requested_cents, "name": p.title}
                for p in voting.ballot_proposals(round_)]
    result = voting.result_of(round_)
    return board_rules.board_document(
        round_id=round_.id,
        title=round_.title,
        budget=round_.envelope_cents,
        ballot_type=round_.ballot_type.value,
        rule=round_.tally_rule.value,
        projects=projects,
        roll_size=roll.size if roll else 0,
        roll_fingerprint=roll.fingerprint if roll else "",
        signins=signins,
        ballots=[{"position": b.position, "tracker": b.tracker, "nonce": b.nonce,
                  "content": b.content, "prev_hash": b.prev_hash, "hash": b.hash,
                  "on_paper": b.on_paper} for b in board_ballots(round_)],
        selected=[str(pid) for pid in result.selected_ids] if result and result.published
        else None,
    )


def find_receipt(round_: Round, tracker: str) -> Ballot | None:
    return db.session.scalar(
        sa.select(Ballot).where(Ballot.round_id == round_.id, Ballot.tracker == tracker.strip()))
