"""Staff (agents) blueprint: accounts for people without e-mail, audit log, outbox, territories.

Later features add their own ``routes_<area>.py`` modules, imported at the bottom.
"""

from flask import Blueprint

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("staff", __name__, url_prefix="/agents", template_folder="templates")
bp.before_request(require_roles(Role.STAFF, Role.ADMIN))

from . import routes  # noqa: E402,F401
from . import routes_review  # noqa: E402,F401
from . import routes_agreements, routes_funds  # noqa: E402,F401
