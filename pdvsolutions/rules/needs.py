"""Who may post, edit and support needs, and what a merge does to supports: pure rules."""

from collections.abc import Iterable

from .phases import Phase
from .text import has_markup  # noqa: F401  (needs are plain text; services call it from here)


def can_take_part(phase: Phase, resident_in_territory: bool) -> bool:
    """A resident posts and supports needs only in their territory, during ``needs``."""
    return resident_in_territory and phase is Phase.NEEDS


def can_edit(phase: Phase, status: str, is_author: bool) -> bool:
    """The author edits their need during ``needs`` until staff retain, hide or merge it."""
    return is_author and phase is Phase.NEEDS and status == "published"


def merged_supporters(kept: Iterable[int], duplicate: Iterable[int]) -> tuple[set[int], set[int]]:
    """Split the duplicate's supporters into (moved to the kept need, already there).

    A resident who supported both needs counts once on the kept need.
    """
    kept_set = set(kept)
    duplicate_set = set(duplicate)
    return duplicate_set - kept_set, duplicate_set & kept_set
