"""Documented defaults. Override them in ``instance/config.py`` or with ``PDV_*`` variables.

Business parameters (envelopes, phases, voting rules) live on the Round, not here.
"""

import os
from datetime import timedelta


class Config:
    #: Secret used to sign sessions and CSRF tokens. Must be set (≥ 32 chars) in production.
    SECRET_KEY = "dev-only-insecure-key"  # noqa: S105 - refused in production
    #: ``development`` or ``production``; production refuses unsafe settings at start-up.
    PDV_ENV = "development"
    #: Database URL; SQLite in ``instance/`` by default, PostgreSQL in production.
    SQLALCHEMY_DATABASE_URI: str | None = None
    #: Statement parameters (e-mail addresses, hashes) never reach the logs.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    #: Locale of every page unless the person chooses another one.
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    #: Rate-limit storage: ``memory://`` for one process, ``redis://host:6379/0`` for several.
    RATELIMIT_STORAGE_URI = "memory://"
    #: Explicit, because Flask-Limiter's one Limiter otherwise keeps the ``enabled`` flag of the
    #: last app it was given (an app built with limits off would switch them off for the next).
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STRATEGY = "moving-window"
    #: Failed logins (or code entries) allowed per minute, per account and per address.
    LOGIN_FAILURES_PER_MINUTE = 10
    #: Staff and admin accounts log in with a second factor (TOTP app or recovery code).
    MFA_REQUIRED = True
    #: Accounts without login for this many years are anonymised by
    #: ``flask accounts anonymise-inactive`` (the privacy notice states the period).
    INACTIVE_ACCOUNT_YEARS = 3
    #: SMTP server used by ``flask outbox send``.
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "pdvsolutions <ne-pas-repondre@pdvsolutions.localhost>"
    #: Staff may read the outbox on a page (development only: messages hold reset links).
    OUTBOX_PAGE_ENABLED = True
    #: Public address used in links sent by e-mail.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    #: Lifetimes of one-time secrets.
    PASSWORD_RESET_TTL = timedelta(hours=1)
    INVITATION_TTL = timedelta(days=30)
    INVITATION_MAX_TRIES = 5
    #: Session cookie hardening; SESSION_COOKIE_SECURE is forced on in production.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    #: The cookie is sent again only when the session changes: its lifetime is absolute (12 h
    #: from login, checked server-side too), and staff sessions change on every request (idle
    #: timeout), so only residents' unchanged cookies are not re-signed on every page.
    SESSION_REFRESH_EACH_REQUEST = False
    #: Number of reverse proxies in front of the app (ProxyFix); 0 when served directly.
    PROXY_COUNT = 0
    #: CSRF tokens live as long as the session (a long paper-form entry must not fail).
    WTF_CSRF_TIME_LIMIT = None
    #: Uploaded files are refused above this size (HTTP 413 turned into a message).
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    #: Page size of public lists.
    PAGE_SIZE = 20
    #: Ballots per page of the public bulletin board (short rows: a receipt and ids).
    BOARD_PAGE_SIZE = 100


def from_environment() -> dict:
    """Read ``PDV_*`` variables: PDV_SECRET_KEY, PDV_DATABASE_URL, PDV_RATELIMIT_STORAGE_URI…"""
    mapping = {
        "PDV_SECRET_KEY": "SECRET_KEY",
        "PDV_ENV": "PDV_ENV",
        "PDV_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
        "PDV_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
        "PDV_MAIL_SERVER": "MAIL_SERVER",
        "PDV_MAIL_USERNAME": "MAIL_USERNAME",
        "PDV_MAIL_PASSWORD": "MAIL_PASSWORD",
        "PDV_MAIL_DEFAULT_SENDER": "MAIL_DEFAULT_SENDER",
        "PDV_PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    }
    values: dict = {key: os.environ[env] for env, key in mapping.items() if env in os.environ}
    url = values.get("SQLALCHEMY_DATABASE_URI", "")
    if url.startswith("postgresql://"):  # the driver we ship: psycopg 3
        values["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url.removeprefix(
            "postgresql://")
    for env, key in (("PDV_MAIL_PORT", "MAIL_PORT"), ("PDV_PROXY_COUNT", "PROXY_COUNT")):
        if env in os.environ:
            values[key] = int(os.environ[env])
    if "PDV_MAIL_USE_TLS" in os.environ:
        values["MAIL_USE_TLS"] = os.environ["PDV_MAIL_USE_TLS"] == "1"
    if "PDV_WORKERS" in os.environ:
        values["PDV_WORKERS"] = int(os.environ["PDV_WORKERS"])
    return values


class UnsafeConfiguration(RuntimeError):
    """Raised at start-up when production settings would be unsafe."""


def check_production(config) -> None:
    """Refuse to start in production with a weak key, debug, SQLite or per-process limits."""
    if config.get("PDV_ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == Config.SECRET_KEY or len(key) < 32:
        raise UnsafeConfiguration("SECRET_KEY must be set to a random value of at least 32 chars")
    if config.get("DEBUG"):
        raise UnsafeConfiguration("DEBUG must be off in production")
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        raise UnsafeConfiguration("production needs PostgreSQL, not SQLite")
    if not config.get("MFA_REQUIRED", Config.MFA_REQUIRED):
        raise UnsafeConfiguration("staff accounts need their second factor in production")
    workers = int(config.get("PDV_WORKERS", 1))
    if workers > 1 and str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory"):
        raise UnsafeConfiguration("several workers need shared rate-limit storage (Redis)")
