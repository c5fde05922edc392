"""The public bulletin board of a closed vote, in the JSON format of rules/board.py."""

import json
import math

import sqlalchemy as sa

from ..extensions import db
from ..models import Ballot, BallotType, Completion, Round, SignIn, TallyRule, VoterRoll
from . import voting

#: Rule names as the board and the stand-alone verifier spell them.
BOARD_RULES = {TallyRule.GREEDY: "greedy", TallyRule.EQUAL_SHARES: "equal-shares"}


def page_of(position: int, per_page: int) -> int:
    """The page of the board that shows the ballot at ``position`` (the last page, for the
    number of ballots); 1 for an empty board."""
    return max(1, math.ceil(position / per_page))


def board_page(round_: Round, page: int, per_page: int) -> list[tuple[int, str, dict]]:
    """One page of the sealed board as (position, tracker, choices): positions ``(page - 1) *
    per_page + 1`` to ``page * per_page`` (the chain numbers them from 1, without a gap), read
    on the (round, position) unique index, so a page costs the same at any size of the vote.
    The choices are the sealed content, as the JSON board and the tally read them."""
    first = (page - 1) * per_page + 1
    return [(position, tracker, json.loads(content))
            for position, tracker, content in db.session.execute(
                sa.select(Ballot.position, Ballot.tracker, Ballot.content)
                .where(Ballot.round_id == round_.id,
                       Ballot.position.between(first, first + per_page - 1))
                .order_by(Ballot.position))]


def round_completion(round_: Round) -> str:
    """The completion the round's result was (or will be) computed with, as the board says it.

    A result stored before completions existed was computed without one.
    """
    result = voting.result_of(round_)
    if round_.tally_rule is not TallyRule.EQUAL_SHARES:
        return Completion.NONE.value
    if result is not None:
        info = result.completion_info
        return info["method"] if info else Completion.NONE.value
    return round_.completion.value


def _count_signins(round_: Round, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count(SignIn.id))
                             .where(SignIn.round_id == round_.id, *conditions))


def board_summary(round_: Round, roll: VoterRoll | None = None) -> dict:
    """The board without its ballots: settings, projects, roll, sign-ins, chain head, result
    (the head of the public board's page). ``roll``: the round's roll, when read already."""
    roll = roll or voting.roll_of(round_)
    result = voting.result_of(round_)
    rule = BOARD_RULES[round_.tally_rule]
    completion = round_completion(round_)
    settings = {
        "id": round_.id, "title": round_.title, "budget_cents": round_.envelope_cents,
        "rule": rule,
        # A knapsack ballot is an approval ballot with a limit: tallied as approval.
        "ballot_type": "cumulative" if round_.ballot_type is BallotType.CUMULATIVE
        else "approval",
    }
    if round_.tally_rule is TallyRule.EQUAL_SHARES:
        settings.update(completion=completion,
                        completion_step_cents=voting.COMPLETION_STEP_CENTS)
    published = None
    if result is not None and result.published:
        published = {"rule": rule, "selected": [str(pid) for pid in result.selected_ids]}
        if round_.tally_rule is TallyRule.EQUAL_SHARES:
            published["completion"] = completion
    return {
        "round": settings,
        "projects": [{"id": str(p.id), "title": p.title, "cost_cents": p.requested_cents}
                     for p in voting.ballot_proposals(round_)],
        "roll": {"size": roll.size if roll else 0,
                 "fingerprint": roll.fingerprint if roll else ""},
        "signins": _count_signins(round_),
        "signins_on_paper": _count_signins(round_, SignIn.on_paper.is_(True)),
        "head": roll.head_hash if roll else None,
        "result": published,
    }


def build_board(round_: Round, roll: VoterRoll | None = None) -> dict:
    """Everything needed to recount the vote and check it: roll, sign-ins, ballots, chain.

    ``roll`` is the round's roll when the caller has read it already."""
    document = board_summary(round_, roll)
    document["ballots"] = [
        {"position": position, "tracker": tracker, "nonce": nonce,
         "choices": json.loads(content), "prev": prev, "hash": link}
        for position, tracker, nonce, content, prev, link in db.session.execute(
            sa.select(Ballot.position, Ballot.tracker, Ballot.nonce, Ballot.content,
                      Ballot.prev_hash, Ballot.hash)
            .where(Ballot.round_id == round_.id).order_by(Ballot.position))]
    return document


def _compact(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def board_json(board: dict) -> str:
    """The board as JSON text: keys sorted, one line per top-level key and per ballot.

    Readable and diffable line by line, and written by the C encoder (an indented dump goes
    through the pure-Python one, several times slower on a city-wide vote).
    """
    parts = []
    for key in sorted(board):
        if key == "ballots":
            value = "[\n" + ",\n".join(map(_compact, board[key])) + "\n]"
        else:
            value = _compact(board[key])
        parts.append(f"{_compact(key)}:{value}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def find_receipt(round_: Round, tracker: str) -> Ballot | None:
    return db.session.scalar(
        sa.select(Ballot).where(Ballot.round_id == round_.id, Ballot.tracker == tracker.strip()))
