"""The board helpers, as the vote uses them: a chain detects a removed, altered or reordered
ballot, and must follow tracker order, never the order of arrival."""

import secrets

from pdvsolutions.rules import board


def _sealed(n: int) -> list[tuple[dict, str]]:
    return [({str(position): 1}, secrets.token_hex(16)) for position in range(1, n + 1)]


def _chain(n: int) -> list[dict]:
    return board.board_ballots(_sealed(n))


def test_verify_chain_accepts_an_intact_chain():
    assert board.verify_chain(_chain(4)) == []


def test_board_ballots_are_chained_in_tracker_order_whatever_the_order_of_arrival():
    sealed = _sealed(6)
    forward = board.board_ballots(sealed)
    backward = board.board_ballots(reversed(sealed))
    assert forward == backward
    trackers = [b["tracker"] for b in forward]
    assert trackers == sorted(trackers)


def test_verify_chain_refuses_a_chain_that_is_not_in_tracker_order():
    # Chained as they came (here: descending receipts), every link correct: still refused.
    arrived = sorted(((board.tracker(board.canonical_content(c), n), c, n)
                      for c, n in _sealed(4)), reverse=True)
    ballots, prev = [], board.GENESIS
    for tracker, choices, nonce in arrived:
        link = board.chain_hash(prev, tracker, board.canonical_content(choices))
        ballots.append({"position": len(ballots) + 1, "choices": choices, "nonce": nonce,
                        "tracker": tracker, "prev": prev, "hash": link})
        prev = link
    assert board.verify_chain(ballots) == [2, 3, 4]


def test_verify_chain_detects_an_altered_ballot():
    ballots = _chain(3)
    ballots[1]["choices"] = {"9": 1}
    assert 2 in board.verify_chain(ballots)


def test_verify_chain_detects_a_removed_ballot():
    ballots = _chain(3)
    del ballots[1]
    assert board.verify_chain(ballots)
