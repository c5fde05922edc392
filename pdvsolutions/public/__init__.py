"""Public pages anyone can read: home, accessibility statement, privacy notice."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401
from . import routes_proposals  # noqa: E402,F401
