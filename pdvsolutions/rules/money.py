"""Amounts typed by people, parsed exactly (Decimal, never float) into integer cents."""

import re
from decimal import Decimal, InvalidOperation

#: Spaces people type or paste as thousands separators (space, no-break, narrow no-break).
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_AMOUNT = re.compile(r"^\d+([.,]\d{1,2})?$")
#: Above this, an amount typed in a form is taken for a typing mistake (100 million euros).
MAX_CENTS = 10_000_000_000
#: Ten million euros: a fund, a funding decision or a yearly tranche above it is a typing mistake.
MAX_AWARD_CENTS = 1_000_000_000


def parse_euros(text: str) -> int:
    """Return the cents of an amount such as ``1 234,50``, ``1234.50`` or ``12 000 €``.

    Raise ValueError for anything else: negative, more than two decimals, letters, grouping
    commas (``1,234.50`` is ambiguous in French, so it is refused), above MAX_CENTS.
    """
    cleaned = _SPACES.sub("", text or "").removesuffix("€").removesuffix("EUR")
    if not _AMOUNT.match(cleaned):
        raise ValueError(text)
    try:
        amount = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern already excludes it
        raise ValueError(text) from error
    cents = int(amount * 100)
    if cents > MAX_CENTS:
        raise ValueError(text)
    return cents
