"""Operators' window on the anti-appel à projets: their sprints (journal, deliverables) and
their multi-year agreements. Operators only; other organisations' objects are 404."""

from flask import Blueprint

from ..models import Role
from ..permissions import require_roles

bp = Blueprint("sprints_op", __name__, url_prefix="/structures/sprints",
               template_folder="templates")
bp.before_request(require_roles(Role.OPERATOR))

from . import routes  # noqa: E402,F401
