"""One place for the current time, always timezone-aware UTC (tests freeze it here)."""

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today() -> date:
    """Return today's date in UTC."""
    return utcnow().date()


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (SQLite gives naive ones back)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
