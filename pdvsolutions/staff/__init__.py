"""Staff (agents) blueprint: accounts for people without e-mail, audit log, outbox, territories.

Later features add their own ``routes_<area>.py`` modules, imported at the bottom.
"""

from flask import Blueprint

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("staff", __name__, url_prefix="/agents", template_folder="templates")
bp.before_request(require_roles(Role.STAFF, Role.ADMIN))

from . import (  # noqa: E402,F401
    routes,
    routes_agreements,
    routes_committee,
    routes_followup,
    routes_funds,
    routes_needs,
    routes_review,
    routes_rounds,
    routes_vote,
)
