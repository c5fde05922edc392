"""One-time codes printed on paper: unambiguous alphabet, grouped for reading aloud."""

import hashlib
import secrets

#: No 0/O, 1/I/L, so that a code read from paper is typed right.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS = 4
GROUP_LENGTH = 4


def new_code() -> str:
    """Return a fresh code such as ``K7PD-3MXQ-…`` (about 79 bits of entropy)."""
    chars = [secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH)]
    return "-".join(
        "".join(chars[i : i + GROUP_LENGTH]) for i in range(0, len(chars), GROUP_LENGTH)
    )


def normalise(code: str) -> str:
    """Upper-case and drop spaces and dashes, as people type codes read from paper."""
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())


def code_hash(code: str) -> str:
    """Return the sha256 of the normalised code (what the database keeps)."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()
