"""Pure budget rules: balance, amount requested, share, dates, per-year split, euro parsing."""

from datetime import date
from decimal import Decimal

import pytest

from pdvsolutions.rules import budget
from pdvsolutions.rules.budget import Line
from pdvsolutions.rules.identifiers import rna_valid, siret_valid

LINES = [Line("64", 8_000_00), Line("60", 1_234_56), Line("74", 3_000_00), Line("75", 500_00)]


def test_requested_is_charges_minus_other_income():
    assert budget.requested_cents(LINES) == 8_000_00 + 1_234_56 - 3_000_00 - 500_00


def test_requested_is_exact_integer_cents():
    lines = [Line("60", 10), Line("61", 20), Line("70", 10)]
    assert budget.requested_cents(lines) == 20
    assert isinstance(budget.requested_cents(lines), int)


def test_requested_never_negative():
    assert budget.requested_cents([Line("60", 100), Line("70", 500)]) == 0


def test_balanced_budget_has_no_problem():
    assert budget.budget_problems(LINES, envelope_cents=100_000_00) == []


def test_income_covering_charges_is_unbalanced():
    problems = budget.budget_problems([Line("60", 100_00), Line("74", 100_00)], 100_000_00)
    assert problems == ["income_covers_charges"]


def test_budget_without_charges_is_refused():
    assert budget.budget_problems([], 100_000_00) == ["no_charges"]


def test_contributions_86_87_must_match():
    lines = LINES + [Line("86", 1_000_00), Line("87", 900_00)]
    assert budget.budget_problems(lines, 100_000_00) == ["contributions_unbalanced"]


def test_contributions_do_not_change_requested():
    lines = LINES + [Line("86", 1_000_00), Line("87", 1_000_00)]
    assert budget.requested_cents(lines) == budget.requested_cents(LINES)


def test_requested_above_envelope_is_refused():
    assert budget.budget_problems([Line("64", 200_00)], envelope_cents=100_00) == [
        "over_envelope"]


def test_share_is_rounded_to_one_decimal():
    assert budget.share_percent(1, 3) == Decimal("33.3")
    assert budget.share_percent(5, 0) == Decimal(0)


@pytest.mark.parametrize(("start", "end", "years"), [
    (date(2027, 1, 1), date(2027, 12, 31), 1),
    (date(2027, 1, 1), date(2028, 6, 30), 2),
    (date(2027, 1, 1), date(2029, 12, 31), 3),
])
def test_year_count_counts_started_periods(start, end, years):
    assert budget.year_count(start, end) == years


def test_dates_in_wrong_order_are_refused():
    assert budget.dates_problems(date(2027, 5, 1), date(2027, 4, 1), 36) == ["dates_order"]


def test_action_longer_than_round_maximum_is_refused():
    assert budget.dates_problems(date(2027, 1, 1), date(2030, 6, 1), 36) == ["too_long"]


def test_split_must_add_up_to_requested():
    assert budget.split_problems([100, 100], 300, 2) == ["split_sum"]
    assert budget.split_problems([100, 200], 300, 2) == []


def test_split_needs_one_amount_per_year():
    assert budget.split_problems([300], 300, 2) == ["split_missing"]


def test_split_not_needed_for_one_year():
    assert budget.split_problems([], 300, 1) == []


@pytest.mark.parametrize(("text", "cents"), [
    ("1 234,50", 123_450), ("1234.50", 123_450), ("1\u202f234,5 €", 123_450), ("12", 1_200),
    ("0,01", 1),
])
def test_parse_euros_accepts_french_and_dotted_forms(text, cents):
    assert budget.parse_euros(text) == cents


@pytest.mark.parametrize("text", ["", "-5", "1,234", "12,345", "abc", "1e5", "1.2.3", "9" * 25])
def test_parse_euros_refuses_garbage(text):
    with pytest.raises(ValueError):
        budget.parse_euros(text)


def test_siret_checksum_is_checked():
    assert siret_valid("732 829 320 00074")
    assert not siret_valid("73282932000075")
    assert not siret_valid("1234")


def test_siret_la_poste_exception_is_accepted():
    assert siret_valid("35600000000048")


def test_rna_is_w_and_nine_digits():
    assert rna_valid("W133012345")
    assert rna_valid("w133012345")
    assert not rna_valid("W13301234")
    assert not rna_valid("133012345X")
