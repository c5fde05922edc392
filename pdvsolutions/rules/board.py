"""Pure helpers for the public bulletin board of a vote: canonical ballots, trackers, hash chain.

Board JSON format (published once the vote is closed; ``tools/verify_board.py`` checks it)::

    {
      "round":    {"id": 12, "title": "...", "budget_cents": 5000000,
                   "rule": "greedy" | "equal-shares", "ballot_type": "approval" | "cumulative"},
      "projects": [{"id": "17", "title": "...", "cost_cents": 1200000}, ...],
      "roll":     {"size": 40, "fingerprint": "<sha256 hex of the sorted pseudonymous ids>"},
      "signins":  37,
      "signins_on_paper": 2,
      "ballots":  [{"position": 1, "tracker": "<hex>", "nonce": "<hex>",
                    "choices": {"17": 1, "23": 1}, "prev": "<hex>", "hash": "<hex>"}, ...],
      "head":     "<hash of the last ballot, GENESIS when there is none>",
      "result":   {"rule": "greedy", "selected": ["17", "23"]}
    }

For ``"rule": "equal-shares"`` the round also says ``"completion": "none" | "add1" |
"add1-comparison"`` and ``"completion_step_cents": 100`` (Add1 raises each voter's share one
euro at a time), and the result repeats the completion it was computed with.

* ``canonical_content(choices)``: JSON with project ids as strings, sorted keys, no spaces,
  e.g. ``{"17":1,"23":1}``; projects with 0 points are dropped.
* ``tracker = sha256(canonical_content + nonce_hex)``: the voter's receipt.
* ``hash = sha256(prev + tracker + canonical_content)``, ``prev`` of the first ballot is
  ``GENESIS`` ("0" * 64), and each ``prev`` is the previous ballot's ``hash``: removing,
  reordering or altering a ballot breaks the chain.
* Ballots are chained in ascending tracker order, when the vote closes: the order of the board
  says nothing about the order in which ballots arrived (secrecy), and is the same for anyone
  who rebuilds it.
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
    "chain",
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


def chain(ballots: Iterable[tuple[str, str]]) -> list[tuple[int, str, str]]:
    """Chain (tracker, content) pairs as given: (position, prev, hash) for each one."""
    links: list[tuple[int, str, str]] = []
    prev = GENESIS
    for position, (receipt, content) in enumerate(ballots, start=1):
        link = chain_hash(prev, receipt, content)
        links.append((position, prev, link))
        prev = link
    return links


def voter_roll_fingerprint(pseudonymous_ids: Iterable[str]) -> str:
    """Fingerprint of the frozen voter roll: sha256 of the sorted ids, one per line."""
    return _sha256("\n".join(sorted(pseudonymous_ids)))


def board_ballots(cast: Iterable[tuple[Mapping[str | int, int], str]]) -> list[dict[str, object]]:
    """Board entries for ballots given as (choices, nonce hex), chained in tracker order."""
    sealed = []
    for choices, nonce_hex in cast:
        content = canonical_content(choices)
        sealed.append((tracker(content, nonce_hex), content, nonce_hex))
    sealed.sort()
    return [
        {
            "position": position,
            "tracker": receipt,
            "nonce": nonce_hex,
            "choices": json.loads(content),
            "prev": prev,
            "hash": link,
        }
        for (receipt, content, nonce_hex), (position, prev, link) in zip(
            sealed, chain((r, c) for r, c, _ in sealed), strict=True
        )
    ]


def verify_chain(ballots: Iterable[Mapping[str, object]]) -> list[int]:
    """Positions of board ballots whose tracker, prev, hash or order is wrong (empty when good).

    Order: trackers strictly ascending (the chain must not follow the order of arrival).
    """
    bad: list[int] = []
    prev = GENESIS
    last_tracker = ""
    for expected_position, ballot in enumerate(ballots, start=1):
        content = canonical_content(ballot["choices"])  # type: ignore[arg-type]
        receipt = str(ballot.get("tracker"))
        ok = (
            ballot.get("position") == expected_position
            and ballot.get("prev") == prev
            and receipt == tracker(content, str(ballot["nonce"]))
            and ballot.get("hash") == chain_hash(prev, receipt, content)
            and receipt > last_tracker
        )
        if not ok:
            bad.append(expected_position)
        prev = str(ballot.get("hash"))
        last_tracker = receipt
    return bad
