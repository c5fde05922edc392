"""French organisation identifiers: SIRET (python-stdnum: Luhn, La Poste exception) and RNA."""

import re

from stdnum.fr import siret as _siret

_RNA = re.compile(r"^W\d{9}$")


def normalise(value: str) -> str:
    """Remove spaces, dots and dashes people type, and upper-case the letters."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def siret_valid(value: str) -> bool:
    """True for a 14-digit SIRET whose checksum holds (La Poste's special rule included)."""
    number = normalise(value)
    return len(number) == 14 and number.isdigit() and _siret.is_valid(number)


def rna_valid(value: str) -> bool:
    """True for an RNA number: ``W`` followed by nine digits."""
    return bool(_RNA.match(normalise(value)))
