"""Locale selection: the person's choice (account, then session), then Accept-Language."""

from decimal import Decimal
from pathlib import Path

from babel.numbers import format_currency
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

from .extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def _request_translations():
    """The translations of the request's locale, looked up once per request and locale.

    Flask-Babel looks them up again for each string of a template (a dozen context lookups
    each, a tenth of a page's time). Its per-request context (``g._flask_babel``, Flask-Babel
    4.0, pinned) holds the chosen locale; a change of locale (``force_locale``, ``refresh``)
    replaces that object, and the translations are looked up again.
    """
    ctx = g.get("_flask_babel")
    locale = getattr(ctx, "babel_locale", None)
    if locale is None:  # the request's first string: Flask-Babel chooses the locale
        return get_translations()
    cached = getattr(ctx, "pdv_translations", None)
    if cached is None or cached[0] is not locale:
        cached = ctx.pdv_translations = (locale, get_translations())
    return cached[1]


def euros(cents: int | None) -> str:
    """Format an amount in cents as euros in the current locale (``12 500,00 €``)."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents).scaleb(-2), "EUR", locale=str(get_locale() or "fr"))


def translation_directories(app) -> str:
    """Every ``i18n/<area>`` directory: one catalog per area, merged by Flask-Babel."""
    root = Path(app.root_path) / "i18n"
    return ";".join(str(p) for p in sorted(root.iterdir()) if p.is_dir())


def init_app(app) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directories(app))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters["euros"] = euros
    app.jinja_env.globals["get_locale"] = get_locale
