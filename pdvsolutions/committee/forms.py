"""Reading a ballot from the request: the whole ballot arrives in one POST (no cart)."""

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..errors import DomainError

#: Prefix of the points fields of a cumulative ballot (``points_<proposal id>``).
POINTS_PREFIX = "points_"
#: Largest number of points accepted in one field (far above any round's points_total).
MAX_POINTS = 10_000

BAD_NUMBER = _l("Les choix doivent être des numéros de proposition et des nombres de points entiers.")


def _int(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or len(text) > 9:
        raise DomainError(BAD_NUMBER)
    return int(text)


def parse_choices(data: MultiDict, cumulative: bool) -> dict[int, int]:
    """Return proposal id → points from the submitted fields; DomainError on garbage.

    Approval ballots send ``proposal`` checkboxes; cumulative ballots send
    ``points_<id>`` numbers (empty or 0 means no points). Ids are checked by the service.
    """
    if not cumulative:
        return {_int(value): 1 for value in data.getlist("proposal")}
    choices = {}
    for key, value in data.items(multi=True):
        if not key.startswith(POINTS_PREFIX) or not value.strip():
            continue
        points = _int(value)
        if points > MAX_POINTS:
            raise DomainError(BAD_NUMBER)
        if points:
            choices[_int(key.removeprefix(POINTS_PREFIX))] = points
    return choices
