"""Tests of the bulletin-board helpers (canonical content, trackers, hash chain)."""

from __future__ import annotations

import hashlib
import json

import pytest

from pdvsolutions.rules.board import (
    GENESIS,
    board_ballots,
    canonical_content,
    chain_hash,
    tracker,
    verify_chain,
    voter_roll_fingerprint,
)


def test_canonical_content_sorts_ids_as_strings_without_spaces_or_zeros():
    assert canonical_content({9: 1, "10": 2, "3": 0}) == '{"10":2,"9":1}'


def test_canonical_content_rejects_negative_or_non_integer_points():
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError):
            canonical_content({"1": bad})


def test_tracker_is_sha256_of_content_then_nonce():
    content = canonical_content({"1": 1})
    expected = hashlib.sha256((content + "ab12").encode()).hexdigest()
    assert tracker(content, "ab12") == expected


def test_tracker_rejects_a_non_hex_nonce():
    with pytest.raises(ValueError):
        tracker("{}", "not-hex")


def test_chain_hash_depends_on_previous_hash_tracker_and_content():
    first = chain_hash(GENESIS, "t1", '{"1":1}')
    assert first == hashlib.sha256((GENESIS + "t1" + '{"1":1}').encode()).hexdigest()
    assert chain_hash(first, "t1", '{"1":1}') != first
    assert GENESIS == "0" * 64


def test_voter_roll_fingerprint_ignores_order():
    assert voter_roll_fingerprint(["b", "a"]) == voter_roll_fingerprint(["a", "b"])
    assert voter_roll_fingerprint(["a"]) == hashlib.sha256(b"a").hexdigest()


def _ballots(choices_list):
    return board_ballots((choices, f"{i:032x}") for i, choices in enumerate(choices_list, 1))


def test_board_ballots_chain_from_genesis_with_trackers():
    first, second = _ballots([{"2": 1, "1": 1}, {"3": 2}])
    assert first["prev"] == GENESIS and second["prev"] == first["hash"]
    assert first["tracker"] < second["tracker"]
    by_content = {json.dumps(b["choices"], sort_keys=True): b for b in (first, second)}
    both = by_content['{"1": 1, "2": 1}']
    assert both["tracker"] == tracker('{"1":1,"2":1}', f"{1:032x}")
    assert second["hash"] == chain_hash(
        first["hash"], second["tracker"], json.dumps(second["choices"], separators=(",", ":")))


def test_verify_chain_accepts_an_intact_board_and_points_at_an_altered_ballot():
    ballots = _ballots([{"1": 1}, {"2": 1}, {"1": 1, "2": 1}])
    assert verify_chain(ballots) == []
    ballots[1]["choices"] = {"1": 1}
    assert verify_chain(ballots) == [2]


def test_verify_chain_detects_a_removed_ballot():
    ballots = _ballots([{"1": 1}, {"2": 1}, {"1": 1, "2": 1}])
    del ballots[1]
    assert verify_chain(ballots) != []
