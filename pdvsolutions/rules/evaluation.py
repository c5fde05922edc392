"""Pure evaluation arithmetic: averages, distributions, response rates, renew outcome.

Values are exact fractions; rounding happens only when a number is shown.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

#: The four criteria rated 1–5, in the order of the form and the report.
CRITERIA: tuple[str, ...] = ("answers_need", "quality", "reach", "relation")
SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
RENEW_CHOICES: tuple[str, ...] = ("yes", "no", "dont_know")


def average(ratings: Sequence[int]) -> Fraction | None:
    """Return the exact mean of ``ratings``, or None when there is none."""
    if not ratings:
        return None
    return Fraction(sum(ratings), len(ratings))


def distribution(ratings: Iterable[int]) -> dict[int, int]:
    """Return how many times each value of the 1–5 scale was given (zeros included)."""
    counts = dict.fromkeys(SCALE, 0)
    for rating in ratings:
        if rating not in counts:
            raise ValueError(f"rating out of the 1–5 scale: {rating}")
        counts[rating] += 1
    return counts


def rate(part: int, whole: int) -> Fraction | None:
    """Return ``part / whole`` exactly, or None when ``whole`` is zero."""
    if whole <= 0:
        return None
    if part < 0 or part > whole:
        raise ValueError("part must be between 0 and whole")
    return Fraction(part, whole)


def renewed(yes: int, no: int, dont_know: int) -> bool:
    """An action is renewed when more than half of its evaluators said yes."""
    total = yes + no + dont_know
    return total > 0 and 2 * yes > total


def rounded(value: Fraction | None, places: int = 1) -> Decimal | None:
    """Round an exact value half-up for display (``Fraction(7, 3)`` → ``2.3``)."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def percent(value: Fraction | None, places: int = 0) -> Decimal | None:
    """Return a rate as a rounded percentage (``Fraction(2, 3)`` → ``67``)."""
    return None if value is None else rounded(value * 100, places)


@dataclass(frozen=True)
class Rating:
    """One evaluation as plain values."""

    answers_need: int
    quality: int
    reach: int
    relation: int
    renew: str


@dataclass(frozen=True)
class Summary:
    """The aggregates of a set of evaluations among ``voters`` people allowed to evaluate."""

    voters: int
    responses: int
    averages: dict[str, Fraction | None] = field(default_factory=dict)
    distributions: dict[str, dict[int, int]] = field(default_factory=dict)
    renew: dict[str, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> Fraction | None:
        return rate(self.responses, self.voters)

    @property
    def renewed(self) -> bool:
        return renewed(self.renew["yes"], self.renew["no"], self.renew["dont_know"])

    def sums(self) -> dict[str, int]:
        """Sum of the ratings per criterion (average × responses), for storage."""
        return {c: sum(v * n for v, n in self.distributions[c].items()) for c in CRITERIA}


def summarize(ratings: Sequence[Rating], voters: int) -> Summary:
    """Aggregate evaluations: averages, distributions per criterion, renew counts."""
    renew = dict.fromkeys(RENEW_CHOICES, 0)
    for rating in ratings:
        renew[rating.renew] += 1
    return Summary(
        voters=voters,
        responses=len(ratings),
        averages={c: average([getattr(r, c) for r in ratings]) for c in CRITERIA},
        distributions={c: distribution(getattr(r, c) for r in ratings) for c in CRITERIA},
        renew=renew,
    )
