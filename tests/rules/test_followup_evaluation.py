"""Pure evaluation arithmetic and amount parsing: exact on known data sets."""

from decimal import Decimal
from fractions import Fraction

import pytest

from pdvsolutions.rules import evaluation as rules
from pdvsolutions.rules.money import parse_euros


def _r(a, q, r, rel, renew="yes"):
    return rules.Rating(a, q, r, rel, renew)


KNOWN = [_r(5, 4, 3, 5), _r(4, 4, 2, 5, "no"), _r(3, 2, 2, 4, "dont_know")]


def test_average_is_exact_fraction():
    assert rules.average([5, 4, 3, 5, 4, 4]) == Fraction(25, 6)


def test_average_of_nothing_is_none():
    assert rules.average([]) is None


def test_distribution_counts_every_value_of_the_scale():
    assert rules.distribution([1, 5, 5, 3]) == {1: 1, 2: 0, 3: 1, 4: 0, 5: 2}


def test_distribution_refuses_out_of_scale_rating():
    with pytest.raises(ValueError):
        rules.distribution([6])


def test_response_rate_is_exact():
    assert rules.rate(3, 7) == Fraction(3, 7)


def test_response_rate_without_voters_is_none():
    assert rules.rate(0, 0) is None


def test_summary_on_known_data_set():
    summary = rules.summarize(KNOWN, voters=4)
    assert summary.averages == {"answers_need": Fraction(4), "quality": Fraction(10, 3),
                                "reach": Fraction(7, 3), "relation": Fraction(14, 3)}
    assert summary.response_rate == Fraction(3, 4)
    assert summary.renew == {"yes": 1, "no": 1, "dont_know": 1}
    assert summary.distributions["reach"] == {1: 0, 2: 2, 3: 1, 4: 0, 5: 0}
    assert summary.sums() == {"answers_need": 12, "quality": 10, "reach": 7, "relation": 14}


def test_rounded_is_half_up_for_display():
    assert rules.rounded(Fraction(7, 3)) == Decimal("2.3")
    assert rules.rounded(Fraction(9, 4)) == Decimal("2.3")  # 2.25 → 2.3, not banker's 2.2
    assert rules.percent(Fraction(2, 3)) == Decimal("67")


def test_renewed_needs_more_than_half_yes():
    assert rules.renewed(2, 1, 0)
    assert not rules.renewed(1, 1, 0)
    assert not rules.renewed(2, 1, 1)
    assert not rules.renewed(0, 0, 0)


@pytest.mark.parametrize("raw,cents", [("1 234,50", 123450), ("1234.50", 123450),
                                        ("12", 1200), ("0,5", 50), ("1\u202f000 €", 100000)])
def test_parse_euros_accepts_french_and_dotted_amounts(raw, cents):
    assert parse_euros(raw) == cents


@pytest.mark.parametrize("raw", ["-5", "abc", "1,234", "1.2.3", "", "1e5", "999999999999"])
def test_parse_euros_refuses_bad_or_absurd_amounts(raw):
    with pytest.raises(ValueError):
        parse_euros(raw)
