"""Multi-year agreements (CPO): duration, tranches and the annual-review decisions."""

from enum import StrEnum

MIN_YEARS = 3
MAX_YEARS = 5


class TrancheStatus(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"
    REDUCED = "reduced"
    SUSPENDED = "suspended"


class ReviewDecision(StrEnum):
    RELEASED = "released"
    REDUCED = "reduced"
    SUSPENDED = "suspended"


def duration_ok(years: int) -> bool:
    return MIN_YEARS <= years <= MAX_YEARS


def needs_review(year_index: int) -> bool:
    """The first tranche is paid at signature; each later one follows an annual review."""
    return year_index > 1


def can_release(year_index: int, reviewed: bool) -> bool:
    """A tranche may be released only after its annual review (the first one excepted)."""
    return not needs_review(year_index) or reviewed


def decision_errors(decision: ReviewDecision, planned_cents: int, amount_cents: int | None,
                    reason: str) -> list[str]:
    """Error codes of an annual-review decision; an empty list means it is acceptable.

    Released pays the planned amount; reduced pays a positive amount below it and needs a
    reason; suspended pays nothing and needs a reason.
    """
    errors = []
    has_reason = bool(reason and reason.strip())
    if decision is ReviewDecision.REDUCED:
        if amount_cents is None or amount_cents <= 0:
            errors.append("amount_missing")
        elif amount_cents >= planned_cents:
            errors.append("amount_not_reduced")
        if not has_reason:
            errors.append("reason_missing")
    elif decision is ReviewDecision.SUSPENDED and not has_reason:
        errors.append("reason_missing")
    return errors


def released_amount(decision: ReviewDecision, planned_cents: int, amount_cents: int | None) -> int:
    """What a valid decision releases."""
    if decision is ReviewDecision.RELEASED:
        return planned_cents
    if decision is ReviewDecision.REDUCED:
        return int(amount_cents or 0)
    return 0


def share_percent(part: int, whole: int) -> int:
    """Rounded percentage, 0 when there is nothing to divide."""
    return round(100 * part / whole) if whole else 0
