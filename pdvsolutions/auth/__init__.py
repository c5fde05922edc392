"""Accounts blueprint: sign-up, login, invitation codes, password reset, language."""

from datetime import timedelta

from flask import Blueprint, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from ..extensions import db
from ..timeutil import utcnow

bp = Blueprint("auth", __name__, template_folder="templates")

#: Staff and admin sessions end after this much inactivity (residents keep theirs).
STAFF_IDLE_TIMEOUT = timedelta(minutes=30)


def init_login(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(session_id: str):
        from ..models import User

        user_id, _sep, token = session_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or user.session_token != token:
            return None
        return user

    @app.before_request
    def expire_sessions():
        """Absolute lifetime for everyone, idle timeout for staff (checked server-side)."""
        if not current_user.is_authenticated:
            return
        now = utcnow().timestamp()
        started = session.get("login_at", 0)
        seen = session.get("seen_at", started)
        lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
        idle_limit = STAFF_IDLE_TIMEOUT.total_seconds()
        unverified = (current_user.is_staff and app.config["MFA_REQUIRED"]
                      and "mfa_at" not in session)
        if now - started > lifetime or (current_user.is_staff and now - seen > idle_limit) \
                or unverified:
            logout_user()
            session.clear()
            return
        if current_user.is_staff:
            # Only staff have an idle timeout: a resident's cookie is not rewritten each time.
            session["seen_at"] = now


from . import routes, routes_data, routes_mfa  # noqa: E402,F401  (registers the views)
