"""The progress-report form: activity, indicators and the compte rendu financier."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..auth.forms import REQUIRED, AppForm, WholeNumberField, too_long
from ..forms_followup import ChoiceRadio, EurosField, no_markup

#: Charges of the associations' chart of accounts, as in the CERFA 15059 financial report.
ACCOUNTS = [
    ("60", _l("Achats")),
    ("61", _l("Services extérieurs")),
    ("62", _l("Autres services extérieurs")),
    ("63", _l("Impôts et taxes")),
    ("64", _l("Charges de personnel")),
    ("65", _l("Autres charges de gestion courante")),
    ("68", _l("Dotations aux amortissements")),
    ("86", _l("Emplois des contributions volontaires en nature")),
]
INDICATOR_ROWS = 3
COUNT = NumberRange(min=0, max=10_000_000, message=_l("Indiquez un nombre entre 0 et 10 000 000."))


class ReportForm(AppForm):
    kind = ChoiceRadio(_l("Type de bilan"), choices=[("interim", _l("Bilan intermédiaire")),
                                                     ("final", _l("Bilan final"))],
                       validators=[InputRequired(_l("Choisissez le type de bilan."))],
                       invalid_message=_l("Choisissez le type de bilan."))
    done = TextAreaField(_l("Ce qui a été fait"),
                         validators=[InputRequired(REQUIRED), too_long(5000), no_markup],
                         description=_l("Sans nom ni donnée personnelle : ce texte sera public "
                                        "une fois le bilan validé."))
    people_reached = WholeNumberField(_l("Nombre de personnes touchées"),
                                  validators=[InputRequired(REQUIRED), COUNT])


for _n in range(1, INDICATOR_ROWS + 1):
    setattr(ReportForm, f"indicator_{_n}_label", StringField(
        _l("Indicateur %(n)d : intitulé", n=_n), validators=[Optional(), too_long(160), no_markup]))
    setattr(ReportForm, f"indicator_{_n}_target", WholeNumberField(
        _l("Indicateur %(n)d : objectif", n=_n), validators=[Optional(), COUNT]))
    setattr(ReportForm, f"indicator_{_n}_achieved", WholeNumberField(
        _l("Indicateur %(n)d : atteint", n=_n), validators=[Optional(), COUNT]))
    setattr(ReportForm, f"indicator_{_n}_unit", StringField(
        _l("Indicateur %(n)d : unité", n=_n), validators=[Optional(), too_long(40), no_markup]))

for _code, _label in ACCOUNTS:
    setattr(ReportForm, f"planned_{_code}", EurosField(
        _l("%(code)s %(label)s : prévu (€)", code=_code, label=_label), validators=[Optional()]))
    setattr(ReportForm, f"actual_{_code}", EurosField(
        _l("%(code)s %(label)s : réalisé (€)", code=_code, label=_label), validators=[Optional()]))
