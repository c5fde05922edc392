"""Pure rules of the multi-year agreements (CPO): duration, tranches, review decisions."""

import pytest

from pdvsolutions.rules.agreements import (
    ReviewDecision,
    can_release,
    decision_errors,
    duration_ok,
    released_amount,
    share_percent,
)


@pytest.mark.parametrize(("years", "ok"), [(2, False), (3, True), (5, True), (6, False)])
def test_agreement_lasts_three_to_five_years(years, ok):
    assert duration_ok(years) is ok


def test_tranche_cannot_be_released_before_its_annual_review():
    assert not can_release(2, reviewed=False)
    assert can_release(2, reviewed=True)


def test_first_tranche_needs_no_review():
    assert can_release(1, reviewed=False)


def test_reduced_tranche_needs_a_reason():
    assert decision_errors(ReviewDecision.REDUCED, 1000, 500, " ") == ["reason_missing"]


def test_reduced_tranche_must_be_below_the_planned_amount():
    assert decision_errors(ReviewDecision.REDUCED, 1000, 1000, "moins d'élèves") == [
        "amount_not_reduced"]


def test_suspended_tranche_needs_a_reason_and_pays_nothing():
    assert decision_errors(ReviewDecision.SUSPENDED, 1000, None, "") == ["reason_missing"]
    assert released_amount(ReviewDecision.SUSPENDED, 1000, None) == 0


def test_released_tranche_pays_the_planned_amount():
    assert decision_errors(ReviewDecision.RELEASED, 1000, None, "") == []
    assert released_amount(ReviewDecision.RELEASED, 1000, 5) == 1000


def test_share_percent_rounds_and_handles_zero():
    assert share_percent(3, 10) == 30
    assert share_percent(0, 0) == 0
