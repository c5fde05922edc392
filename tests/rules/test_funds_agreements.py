"""Pure rules of the multi-year agreements and of the sprint budget."""

import pytest

from pdvsolutions.rules.agreements import (
    ReviewDecision,
    can_release,
    decision_errors,
    duration_ok,
    released_amount,
    share_percent,
)
from pdvsolutions.rules.sprint_budget import CHARGE, INCOME, Line, budget_errors, parse_euros


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


@pytest.mark.parametrize(("text", "cents"), [
    ("1 234,50", 123450), ("1234.50", 123450), ("1.234,5", None), ("12 €", 1200),
    ("0,1", 10), ("abc", None), ("1,234", None), ("", None),
])
def test_parse_euros_reads_french_and_dotted_amounts(text, cents):
    assert parse_euros(text) == cents


def test_sprint_budget_must_balance():
    lines = [Line(CHARGE, "606", "Achats", 1000), Line(INCOME, "74", "Fonds", 900)]
    assert budget_errors(lines) == ["unbalanced"]


def test_sprint_budget_checks_account_classes():
    lines = [Line(CHARGE, "74", "Faux", 1000), Line(INCOME, "74", "Fonds", 1000)]
    assert "bad_account" in budget_errors(lines)


def test_sprint_budget_balanced_is_accepted():
    lines = [Line(CHARGE, "606", "Achats", 1000), Line(INCOME, "74", "Fonds", 1000)]
    assert budget_errors(lines) == []
