"""Provisional budget of a proposal: balance, amount requested, share, per-year split.

Integers only (euro cents). The chart of accounts is the associations' one: charges 60–68,
income 70–78, volunteer contributions 86 (charges) and 87 (income), shown apart. The round's
own 74 line is not typed: it is what the other income leaves to cover.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import parse_euros  # noqa: F401  (the budget form parses amounts through it)

CHARGE_ACCOUNTS = tuple(str(n) for n in range(60, 69))
INCOME_ACCOUNTS = tuple(str(n) for n in range(70, 79))
CONTRIBUTION_CHARGE = "86"
CONTRIBUTION_INCOME = "87"
COFUNDING_ACCOUNT = "74"
ALL_ACCOUNTS = CHARGE_ACCOUNTS + INCOME_ACCOUNTS + (CONTRIBUTION_CHARGE, CONTRIBUTION_INCOME)
#: No single line may exceed ten million euros: larger figures are typing mistakes.
MAX_LINE_CENTS = 10_000_000_00


@dataclass(frozen=True)
class Line:
    account: str
    amount_cents: int


@dataclass(frozen=True)
class Summary:
    charges_cents: int
    other_income_cents: int
    requested_cents: int
    contributions_charges_cents: int
    contributions_income_cents: int

    @property
    def total_cents(self) -> int:
        """Total of the budget (charges 60–68), which the income 70–78 equals once balanced."""
        return self.charges_cents


def summarize(lines: list[Line]) -> Summary:
    """Add the lines up by family; ``requested_cents`` may be negative (income > charges)."""
    charges = sum(line.amount_cents for line in lines if line.account in CHARGE_ACCOUNTS)
    income = sum(line.amount_cents for line in lines if line.account in INCOME_ACCOUNTS)
    return Summary(
        charges_cents=charges,
        other_income_cents=income,
        requested_cents=charges - income,
        contributions_charges_cents=sum(
            line.amount_cents for line in lines if line.account == CONTRIBUTION_CHARGE),
        contributions_income_cents=sum(
            line.amount_cents for line in lines if line.account == CONTRIBUTION_INCOME),
    )


def requested_cents(lines: list[Line]) -> int:
    """The amount asked from the round: charges minus every other income, never below 0."""
    return max(summarize(lines).requested_cents, 0)


def share_percent(part_cents: int, total_cents: int) -> Decimal:
    """``part`` as a percentage of ``total``, rounded half-up to one decimal (0 if no total)."""
    if total_cents <= 0:
        return Decimal(0)
    return (Decimal(part_cents) * 100 / Decimal(total_cents)).quantize(Decimal("0.1"))


def budget_problems(lines: list[Line], envelope_cents: int) -> list[str]:
    """Codes of what prevents submitting this budget; empty when it is balanced and fundable."""
    summary = summarize(lines)
    problems = []
    if summary.charges_cents <= 0:
        problems.append("no_charges")
    elif summary.requested_cents <= 0:
        problems.append("income_covers_charges")
    elif envelope_cents and summary.requested_cents > envelope_cents:
        problems.append("over_envelope")
    if summary.contributions_charges_cents != summary.contributions_income_cents:
        problems.append("contributions_unbalanced")
    return problems


def duration_months(start: date, end: date) -> int:
    """Months the action lasts, counting a started month (1 Jan → 31 Dec is 12)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months + (1 if end.day >= start.day else 0)


def year_count(start: date, end: date) -> int:
    """Number of twelve-month periods the action spans (1 for an action of a year or less)."""
    return max(1, (duration_months(start, end) + 11) // 12)


def dates_problems(start: date | None, end: date | None, max_months: int) -> list[str]:
    """Codes of what is wrong with the action's dates."""
    if start is None or end is None:
        return ["dates_missing"]
    if end < start:
        return ["dates_order"]
    if duration_months(start, end) > max_months:
        return ["too_long"]
    return []


def split_problems(split: list[int], requested: int, years: int) -> list[str]:
    """Check a per-year split of the requested amount (only needed beyond one year)."""
    if years <= 1:
        return []
    if len(split) != years or any(amount < 0 for amount in split):
        return ["split_missing"]
    if sum(split) != requested:
        return ["split_sum"]
    return []


