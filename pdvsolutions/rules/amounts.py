"""Parse amounts of money typed by people into integer cents (never through float)."""

import re
from decimal import Decimal, InvalidOperation

#: Above this, an amount typed in a form is taken for a typing mistake (100 million euros).
MAX_CENTS = 10_000_000_000
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_euros(raw: str) -> int:
    """Return ``raw`` ("1 234,50", "1234.50", "1234 €") in cents; ValueError when not an amount.

    A comma or a point separates the cents; spaces group thousands; at most two decimals.
    """
    text = _SPACES.sub("", raw or "").removesuffix("€").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        raise ValueError("not an amount in euros")
    try:
        cents = int((Decimal(text) * 100).to_integral_exact())
    except InvalidOperation as error:  # pragma: no cover - the pattern already excludes it
        raise ValueError("not an amount in euros") from error
    if cents > MAX_CENTS:
        raise ValueError("amount too large")
    return cents
