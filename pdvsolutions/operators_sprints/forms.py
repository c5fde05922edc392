"""Forms of the sprint journal and deliverables, shared by operators and staff.

The prototype's budget lines use the proposals' form (``operators.forms.BudgetLineForm``).
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired

from ..auth.forms import REQUIRED, no_markup, too_long


class JournalForm(FlaskForm):
    body = TextAreaField(_l("Nouvelle entrée du journal"),
                         validators=[InputRequired(REQUIRED), too_long(2000), no_markup],
                         description=_l("Ce qui a été fait, appris ou décidé ; ce qui bloque."))


class DeliverablesForm(FlaskForm):
    prototype = TextAreaField(_l("Description du prototype"),
                              validators=[InputRequired(REQUIRED), too_long(4000), no_markup])
    indicators = TextAreaField(_l("Indicateurs de réussite"),
                               validators=[InputRequired(REQUIRED), too_long(2000), no_markup],
                               description=_l("Un indicateur par ligne, avec sa cible."))
