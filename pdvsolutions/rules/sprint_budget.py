"""The sprint deliverable's small budget: charges and income by account code, balanced.

Account codes follow the associations' chart of accounts (plan comptable, CERFA 12156):
charges in class 6 (and 86, contributions in kind), income in class 7 (and 87).
"""

import re
from dataclasses import dataclass

from . import money

#: 10 million euros: anything above is a typing mistake for a sprint or a tranche.
MAX_CENTS = 1_000_000_000
CHARGE = "charge"
INCOME = "income"
_ACCOUNT = re.compile(r"^\d{2,6}$")


@dataclass(frozen=True)
class Line:
    side: str
    account: str
    label: str
    amount_cents: int


def parse_euros(text: str) -> int | None:
    """Cents from euros typed by a person ("1 234,50", "1234.50", "1 234 €"); None if unreadable."""
    try:
        return money.parse_euros(text)
    except ValueError:
        return None


def account_ok(side: str, account: str) -> bool:
    if not _ACCOUNT.match(account or ""):
        return False
    if side == CHARGE:
        return account.startswith(("6", "86"))
    if side == INCOME:
        return account.startswith(("7", "87"))
    return False


def totals(lines: list[Line]) -> tuple[int, int]:
    """(charges, income) in cents."""
    charges = sum(line.amount_cents for line in lines if line.side == CHARGE)
    income = sum(line.amount_cents for line in lines if line.side == INCOME)
    return charges, income


def budget_errors(lines: list[Line]) -> list[str]:
    """Error codes of a budget; an empty list means it is acceptable."""
    if not lines:
        return ["empty"]
    errors = []
    if any(not account_ok(line.side, line.account) for line in lines):
        errors.append("bad_account")
    if any(line.amount_cents <= 0 or line.amount_cents > MAX_CENTS for line in lines):
        errors.append("bad_amount")
    charges, income = totals(lines)
    if charges != income:
        errors.append("unbalanced")
    return errors
