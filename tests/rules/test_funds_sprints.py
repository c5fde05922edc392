"""Sprint dates and days left, with an injected today."""

from datetime import date

import pytest

from pdvsolutions.rules.sprints import (
    CheckpointKind,
    checkpoint_dates,
    days_left,
    end_date,
    sprint_state,
)

START = date(2026, 3, 2)


def test_sprint_of_15_days_ends_on_the_15th_day():
    assert end_date(START, 15) == date(2026, 3, 16)


def test_sprint_end_date_refuses_a_zero_length():
    with pytest.raises(ValueError):
        end_date(START, 0)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 3, 1), 15), (date(2026, 3, 2), 15), (date(2026, 3, 9), 8),
    (date(2026, 3, 16), 1), (date(2026, 3, 17), 0), (date(2026, 6, 1), 0),
])
def test_sprint_days_left_counts_today(today, expected):
    assert days_left(START, 15, today) == expected


def test_sprint_checkpoints_are_kickoff_midpoint_and_pitch():
    assert checkpoint_dates(START, 15) == {
        CheckpointKind.KICKOFF: date(2026, 3, 2),
        CheckpointKind.MIDPOINT: date(2026, 3, 9),
        CheckpointKind.PITCH: date(2026, 3, 16),
    }


def test_sprint_ended_without_pitch_is_flagged():
    state = sprint_state(START, 15, date(2026, 3, 17), pitched=False)
    assert state.ended and state.late_without_pitch


def test_sprint_ended_with_pitch_is_not_flagged():
    assert not sprint_state(START, 15, date(2026, 3, 17), pitched=True).late_without_pitch


def test_sprint_running_is_not_flagged():
    state = sprint_state(START, 15, date(2026, 3, 16), pitched=False)
    assert state.started and not state.ended and not state.late_without_pitch
