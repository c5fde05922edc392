"""Prototyping sprints: dates, days left and the late flag, computed from an injected today."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_LENGTH_DAYS = 15
MAX_LENGTH_DAYS = 90


class CheckpointKind(StrEnum):
    KICKOFF = "kickoff"
    MIDPOINT = "midpoint"
    PITCH = "pitch"


def end_date(start: date, length_days: int) -> date:
    """Last day of a sprint: a 15-day sprint starting on the 1st ends on the 15th."""
    if length_days < 1:
        raise ValueError("length_days must be positive")
    return start + timedelta(days=length_days - 1)


def checkpoint_dates(start: date, length_days: int) -> dict[CheckpointKind, date]:
    """Kick-off on the first day, mid-point half-way, pitch on the last day."""
    return {
        CheckpointKind.KICKOFF: start,
        CheckpointKind.MIDPOINT: start + timedelta(days=(length_days - 1) // 2),
        CheckpointKind.PITCH: end_date(start, length_days),
    }


def days_left(start: date, length_days: int, today: date) -> int:
    """Days remaining including today; the full length before the start, 0 once ended."""
    end = end_date(start, length_days)
    if today < start:
        return length_days
    return max(0, (end - today).days + 1)


@dataclass(frozen=True)
class SprintState:
    started: bool
    ended: bool
    days_left: int
    #: Ended and the pitch has not been held: staff must act.
    late_without_pitch: bool


def sprint_state(start: date, length_days: int, today: date, pitched: bool) -> SprintState:
    """Everything the sprint page shows about time, for a given ``today``."""
    ended = today > end_date(start, length_days)
    return SprintState(
        started=today >= start,
        ended=ended,
        days_left=days_left(start, length_days, today),
        late_without_pitch=ended and not pitched,
    )
