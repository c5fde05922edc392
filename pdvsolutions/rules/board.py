"""Pure helpers for the public bulletin board of a vote: canonical ballots, trackers, hash chain.

Board JSON format (published once the vote is closed; ``tools/verify_board.py`` checks it)::

    {
      "round":    {"id": 12, "title": "...", "budget_cents": 5000000,
                   "rule": "greedy" | "equal-shares", "ballot_type": "approval" | "cumulative"},
      "projects": [{"id": "17", "title": "...", "cost_cents": 1200000}, ...],
      "roll":     {"size": 40, "fingerprint": "<sha256 hex of the sorted pseudonymous ids>"},
      "signins":  37,
      "ballots":  [{"position": 1, "tracker": "<hex>", "nonce": "<hex>",
                    "choices": {"17": 1, "23": 1}, "prev": "<hex>", "hash": "<hex>"}, ...],
      "result":   {"rule": "greedy", "selected": ["17", "23"]}
    }

* ``canonical_content(choices)``: JSON with project ids as strings, sorted keys, no spaces,
  e.g. ``{"17":1,"23":1}``; projects with 0 points are dropped.
* ``tracker = sha256(canonical_content + nonce_hex)``: the voter's receipt.
* ``hash = sha256(prev + tracker + canonical_content)``, ``prev`` of the first ballot is
  ``GENESIS`` ("0" * 64), and each ``prev`` is the previous ballot's ``hash``: removing,
  reordering or altering a ballot breaks the chain.
* ``voter_roll_fingerprint(ids) = sha256("\\n".join(sorted ids))``.

All hashes are lowercase hex of SHA-256 over UTF-8 text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

__all__ = [
    "GENESIS",
    "board_ballots",
    "canonical_content",
    "chain_hash",
    "tracker",
    "verify_chain",
    "voter_roll_fingerprint",
]

GENESIS = "0" * 64


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_content(choices: Mapping[str | int, int]) -> str:
    """Canonical JSON of a ballot's choices: string ids, sorted keys, no spaces, no zeros."""
    cleaned: dict[str, int] = {}
    for pid, points in choices.items():
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise ValueError(f"points must be a non-negative integer, got {points!r}")
        if points:
            cleaned[str(pid)] = points
    return json.dumps(cleaned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def tracker(content: str, nonce_hex: str) -> str:
    """Receipt of a ballot: sha256 of its canonical content followed by its hex nonce."""
    bytes.fromhex(nonce_hex)  # rejects a nonce that is not hex
    return _sha256(content + nonce_hex)


def chain_hash(prev_hash_hex: str, tracker_hex: str, content: str) -> str:
    """Next link of the board's hash chain: sha256(prev + tracker + content)."""
    return _sha256(prev_hash_hex + tracker_hex + content)


def voter_roll_fingerprint(pseudonymous_ids: Iterable[str]) -> str:
    """Fingerprint of the frozen voter roll: sha256 of the sorted ids, one per line."""
    return _sha256("\n".join(sorted(pseudonymous_ids)))


def board_ballots(cast: Iterable[tuple[Mapping[str | int, int], str]]) -> list[dict[str, object]]:
    """Board entries for ballots in casting order, each given as (choices, nonce hex)."""
    entries: list[dict[str, object]] = []
    prev = GENESIS
    for position, (choices, nonce_hex) in enumerate(cast, start=1):
        content = canonical_content(choices)
        receipt = tracker(content, nonce_hex)
        link = chain_hash(prev, receipt, content)
        entries.append(
            {
                "position": position,
                "tracker": receipt,
                "nonce": nonce_hex,
                "choices": json.loads(content),
                "prev": prev,
                "hash": link,
            }
        )
        prev = link
    return entries


def verify_chain(ballots: Iterable[Mapping[str, object]]) -> list[int]:
    """Positions of board ballots whose tracker, prev or hash is wrong (empty when all good)."""
    bad: list[int] = []
    prev = GENESIS
    for expected_position, ballot in enumerate(ballots, start=1):
        content = canonical_content(ballot["choices"])  # type: ignore[arg-type]
        ok = (
            ballot.get("position") == expected_position
            and ballot.get("prev") == prev
            and ballot.get("tracker") == tracker(content, str(ballot["nonce"]))
            and ballot.get("hash") == chain_hash(prev, str(ballot["tracker"]), content)
        )
        if not ok:
            bad.append(expected_position)
        prev = str(ballot.get("hash"))
    return bad
