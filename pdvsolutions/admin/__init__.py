"""Admin blueprint: roles and activation of every account (staff accounts included)."""

from flask import Blueprint

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
bp.before_request(require_roles(Role.ADMIN))

from . import routes  # noqa: E402,F401
