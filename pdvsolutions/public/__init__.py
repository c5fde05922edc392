"""Public pages anyone can read: home, accessibility statement, privacy notice."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from . import (  # noqa: E402,F401
    routes,
    routes_followup,
    routes_opendata,
    routes_proposals,
    routes_rounds,
    routes_vote,
)
