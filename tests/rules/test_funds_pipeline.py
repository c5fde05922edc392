"""Pure rules of the sourcing pipeline."""

import pytest

from pdvsolutions.rules.pipeline import (
    TRANSITIONS,
    ProspectStatus,
    can_move,
    is_final,
    manual_targets,
)

S = ProspectStatus
ALLOWED = {
    (S.SPOTTED, S.CONTACTED), (S.SPOTTED, S.DROPPED), (S.CONTACTED, S.SPRINT),
    (S.CONTACTED, S.DROPPED), (S.SPRINT, S.PITCHED), (S.SPRINT, S.DROPPED),
    (S.PITCHED, S.FUNDED), (S.PITCHED, S.DECLINED), (S.PITCHED, S.DROPPED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_pipeline_moves_only_along_allowed_transitions(current, target):
    assert can_move(current, target) is ((current, target) in ALLOWED)


def test_pipeline_final_statuses_have_no_exit():
    assert {s for s in S if is_final(s)} == {S.FUNDED, S.DECLINED, S.DROPPED}


def test_pipeline_manual_targets_exclude_moves_with_their_own_form():
    assert manual_targets(S.SPOTTED) == [S.CONTACTED, S.DROPPED]
    assert manual_targets(S.PITCHED) == [S.DROPPED]


def test_pipeline_has_a_rule_for_every_status():
    assert set(TRANSITIONS) == set(S)
