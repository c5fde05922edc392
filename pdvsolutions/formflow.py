"""The view's side of a form: call the service, commit once, or show its message on the form."""

from collections.abc import Callable
from typing import TypeVar

from .errors import DomainError
from .extensions import db

T = TypeVar("T")


def form_error(form, error: DomainError, default: str | None = None) -> None:
    """Attach a service's message to its field, else to ``default`` (the first field)."""
    names = [f.short_name for f in form if f.type != "CSRFTokenField"]
    field = getattr(form, error.field if error.field in names else (default or names[0]))
    field.errors = [*field.errors, error.message]


def commit_or_show(form, act: Callable[[], T]) -> T | None:
    """Run ``act`` (a service call); commit and return its result, or roll back, put the
    DomainError's message on the form and return None."""
    try:
        result = act()
    except DomainError as error:
        db.session.rollback()
        form_error(form, error)
        return None
    db.session.commit()
    return result
