"""Evaluation blueprint: the residents who voted in a round evaluate its funded actions.

Also registers the template helpers of the follow-up pages (labels, exact values rounded).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..rules import evaluation as rules

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation", template_folder="templates")

PHASE_LABELS = {
    "draft": _l("brouillon"), "needs": _l("recueil des besoins"), "call": _l("appel ouvert"),
    "review": _l("instruction"), "vote": _l("vote"), "results": _l("résultats"),
    "follow_up": _l("suivi"), "evaluation": _l("évaluation"), "closed": _l("close"),
}
REPORT_KIND_LABELS = {"interim": _l("bilan intermédiaire"), "final": _l("bilan final")}
REPORT_STATUS_LABELS = {"submitted": _l("à examiner"), "acknowledged": _l("validé"),
                        "more_requested": _l("compléments demandés")}


@bp.app_template_global()
def round_phase_label(phase) -> str:
    return str(PHASE_LABELS[str(phase.value if hasattr(phase, "value") else phase)])


@bp.app_template_global()
def report_kind_label(kind) -> str:
    return str(REPORT_KIND_LABELS[kind.value])


@bp.app_template_global()
def report_status_label(status) -> str:
    return str(REPORT_STATUS_LABELS[status.value])


@bp.app_template_global()
def rounded(value, places: int = 1):
    """An exact average shown with one decimal (French comma), or a dash."""
    result = rules.rounded(value, places)
    return "—" if result is None else str(result).replace(".", ",")


@bp.app_template_global()
def rate_percent(value) -> str:
    result = rules.percent(value)
    return "—" if result is None else str(result)


from . import routes  # noqa: E402,F401
