"""Forms of the staff review of organisations and proposals."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..auth.forms import AppForm, too_long
from ..models import Decision

DECISION_LABELS = {
    Decision.ELIGIBLE: _l("Recevable"),
    Decision.NOT_ELIGIBLE: _l("Non recevable (avec la raison)"),
    Decision.REVISION_REQUESTED: _l("Révision demandée (avec un message et une date limite)"),
}


class DecisionForm(AppForm):
    decision = RadioField(_l("Décision"),
                          choices=[(k.value, v) for k, v in DECISION_LABELS.items()],
                          validators=[InputRequired(_l("Choisissez une décision."))])
    message = TextAreaField(
        _l("Raison ou message à l'opérateur"), validators=[Optional(), too_long(2000)],
        description=_l("Obligatoire pour un refus ou une révision ; l'opérateur le lira."))
    deadline = DateField(_l("Date limite de révision"), validators=[Optional()],
                         description=_l("Pour une révision seulement (fin de journée)."))

