"""The public bulletin board: canonical ballot content, receipts, hash chain, roll fingerprint.

Pure functions (standard library only), so that ``tools/verify_board.py`` can recompute every
value without the application.

* ``content`` of a ballot: canonical JSON ``{"choices": {"<proposal id>": points}, "round": id}``
  with sorted keys and no spaces (``canonical_content``).
* ``tracker`` (the receipt): ``sha256(content + nonce)`` in hex.
* chain: ``hash = sha256(prev_hash + tracker + content)``; the first ``prev_hash`` is
  ``GENESIS`` (64 zeros). Removing, reordering or altering a ballot breaks every later hash.
* roll fingerprint: ``sha256`` of the sorted pseudonymous ids joined by newlines.

Board JSON (``board_document``)::

    {"format": "pdvsolutions-board/1", "round": {"id", "title"}, "budget": cents,
     "ballot_type": "approval|knapsack|cumulative", "rule": "greedy|equal_shares",
     "projects": [{"id": "12", "cost": cents, "name": "..."}],
     "roll": {"size": n, "fingerprint": hex}, "signins": n,
     "ballots": [{"position", "tracker", "nonce", "content", "prev_hash", "hash", "on_paper"}],
     "head_hash": hex, "selected": ["12", ...] or null until the results are published}
"""

import hashlib
import json
from collections.abc import Iterable, Mapping

GENESIS = "0" * 64
FORMAT = "pdvsolutions-board/1"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_content(round_id: int, choices: Mapping[str, int]) -> str:
    """The exact text a ballot's tracker and chain hash commit to."""
    return json.dumps({"choices": {str(k): int(v) for k, v in choices.items()},
                       "round": round_id}, sort_keys=True, separators=(",", ":"))


def parse_content(content: str) -> dict[str, int]:
    """The choices (proposal id → points) of a canonical content."""
    return {str(k): int(v) for k, v in json.loads(content)["choices"].items()}


def tracker(content: str, nonce: str) -> str:
    """The receipt code of a ballot."""
    return _sha256(content + nonce)


def chain_hash(prev_hash: str, content: str, tracker_: str) -> str:
    """The hash of a ballot, linking it to the previous one."""
    return _sha256(prev_hash + tracker_ + content)


def voter_roll_fingerprint(pseudonyms: Iterable[str]) -> str:
    """Fingerprint of a frozen roll: sha256 of the sorted pseudonymous ids, one per line."""
    return _sha256("\n".join(sorted(pseudonyms)))


def board_document(*, round_id: int, title: str, budget: int, ballot_type: str, rule: str,
                   projects: list[dict], roll_size: int, roll_fingerprint: str, signins: int,
                   ballots: list[dict], selected: list[str] | None) -> dict:
    """Assemble the board JSON described above."""
    return {
        "format": FORMAT,
        "round": {"id": round_id, "title": title},
        "budget": budget,
        "ballot_type": ballot_type,
        "rule": rule,
        "projects": projects,
        "roll": {"size": roll_size, "fingerprint": roll_fingerprint},
        "signins": signins,
        "ballots": ballots,
        "head_hash": ballots[-1]["hash"] if ballots else GENESIS,
        "selected": selected,
    }


def chain_problems(ballots: list[dict]) -> list[str]:
    """Check trackers and the chain; return one message per broken ballot ([] if intact)."""
    problems = []
    prev = GENESIS
    for expected_position, ballot in enumerate(ballots, start=1):
        label = f"ballot {ballot.get('position')}"
        if ballot["position"] != expected_position:
            problems.append(f"{label}: position out of sequence")
        if tracker(ballot["content"], ballot["nonce"]) != ballot["tracker"]:
            problems.append(f"{label}: tracker does not match content")
        if ballot["prev_hash"] != prev or chain_hash(
                prev, ballot["content"], ballot["tracker"]) != ballot["hash"]:
            problems.append(f"{label}: chain broken")
        prev = ballot["hash"]
    return problems
