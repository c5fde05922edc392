"""Operators blueprint: organisations, their documents and members, proposals to the call.

Everything is for accounts with the operator role, except the operator sign-up page.
"""

from flask import Blueprint, request

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("operators", __name__, url_prefix="/structures", template_folder="templates")
_operator_only = require_roles(Role.OPERATOR)
#: Reachable without an operator account (a person creates one there).
PUBLIC_ENDPOINTS = {"operators.signup"}


@bp.before_request
def guard():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return _operator_only()


from . import routes  # noqa: E402,F401
