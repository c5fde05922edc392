"""Residents blueprint: post and edit expected solutions (needs), support them."""

from flask import Blueprint

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("residents", __name__, url_prefix="/habitants", template_folder="templates")
bp.before_request(require_roles(Role.RESIDENT))

from . import routes  # noqa: E402,F401
