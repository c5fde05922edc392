"""The board helpers, as the vote uses them: a chain detects a removed or altered ballot."""

import secrets

from pdvsolutions.rules import board


def _chain(n: int) -> list[dict]:
    ballots, prev = [], board.GENESIS
    for position in range(1, n + 1):
        choices = {str(position): 1}
        content = board.canonical_content(choices)
        nonce = secrets.token_hex(16)
        tracker = board.tracker(content, nonce)
        ballot = {"position": position, "choices": choices, "nonce": nonce, "tracker": tracker,
                  "prev": prev, "hash": board.chain_hash(prev, tracker, content)}
        ballots.append(ballot)
        prev = ballot["hash"]
    return ballots


def test_verify_chain_accepts_an_intact_chain():
    assert board.verify_chain(_chain(4)) == []


def test_verify_chain_detects_an_altered_ballot():
    ballots = _chain(3)
    ballots[1]["choices"] = {"3": 1}
    assert 2 in board.verify_chain(ballots)


def test_verify_chain_detects_a_removed_ballot():
    ballots = _chain(3)
    del ballots[1]
    assert board.verify_chain(ballots)
