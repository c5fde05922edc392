"""The board's hash chain detects a removed or altered ballot."""

import secrets

from pdvsolutions.rules import board


def _chain(n: int) -> list[dict]:
    ballots, prev = [], board.GENESIS
    for position in range(1, n + 1):
        content = board.canonical_content(7, {str(position): 1})
        nonce = secrets.token_hex(16)
        tracker = board.tracker(content, nonce)
        ballot = {"position": position, "content": content, "nonce": nonce, "tracker": tracker,
                  "prev_hash": prev, "hash": board.chain_hash(prev, content, tracker)}
        ballots.append(ballot)
        prev = ballot["hash"]
    return ballots


def test_canonical_content_is_independent_of_key_order():
    assert board.canonical_content(1, {"2": 1, "10": 1}) == board.canonical_content(
        1, {"10": 1, "2": 1})


def test_chain_problems_accepts_an_intact_chain():
    assert board.chain_problems(_chain(4)) == []


def test_chain_problems_detects_an_altered_ballot():
    ballots = _chain(3)
    ballots[1]["content"] = board.canonical_content(7, {"3": 1})
    assert any("ballot 2" in p for p in board.chain_problems(ballots))


def test_chain_problems_detects_a_removed_ballot():
    ballots = _chain(3)
    del ballots[1]
    assert board.chain_problems(ballots)


def test_voter_roll_fingerprint_ignores_order():
    assert board.voter_roll_fingerprint(["b", "a"]) == board.voter_roll_fingerprint(["a", "b"])
