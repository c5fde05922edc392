"""Committee blueprint: a member of a round's voter roll casts their secret ballot."""

from flask import Blueprint

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("committee", __name__, url_prefix="/comite", template_folder="templates")
# Voters are resident accounts; staff and operators vote only as residents (they are refused).
bp.before_request(require_roles(Role.RESIDENT))

from . import routes  # noqa: E402,F401
