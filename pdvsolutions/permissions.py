"""Who may do what: role guards for blueprints and small object predicates."""

from flask import abort
from flask_login import current_user

from .models import Role


def require_roles(*roles: Role):
    """Return a ``before_request`` hook: login required, then one of ``roles`` (403 otherwise)."""

    def guard():
        from .extensions import login_manager

        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None

    return guard


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.role in (Role.STAFF, Role.ADMIN))


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.role is Role.ADMIN)
