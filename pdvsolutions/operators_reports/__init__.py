"""Operators' progress reports on their funded actions (bilans), as their own blueprint."""

from flask import Blueprint

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("reports", __name__, url_prefix="/structures/bilans", template_folder="templates")
bp.before_request(require_roles(Role.OPERATOR))

from . import routes  # noqa: E402,F401
