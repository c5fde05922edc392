"""Every form of the app runs the shared checks of ``auth/forms.py`` (no control character,
NUL included, in any text field: PostgreSQL refuses NUL, a 500 before this check)."""

from wtforms import Form

from pdvsolutions import create_app
from pdvsolutions.auth.forms import AppForm, AppSubForm


def _app_forms() -> list[type]:
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "SECRET_KEY": "collection-only-key-0123456789abcdef"})  # imports every form
    found, todo = set(), list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("pdvsolutions.") and cls not in (AppForm, AppSubForm):
            found.add(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_forms_every_form_runs_the_shared_checks():
    forms = _app_forms()
    assert len(forms) > 40
    assert [c.__qualname__ for c in forms if not issubclass(c, (AppForm, AppSubForm))] == []


def test_forms_control_characters_are_refused_with_a_french_message(app, client, auth, resident):
    """A need whose title holds a NUL byte: the form says why, nothing is written."""
    ...
