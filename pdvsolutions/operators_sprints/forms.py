"""Forms of the sprint journal and deliverables, shared by operators and staff."""

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, Regexp, ValidationError

from ..auth.forms import REQUIRED, AppForm, AppSubForm, too_long
from ..rules.sprint_budget import CHARGE, INCOME, MAX_CENTS, parse_euros

BUDGET_ROWS = 8


class EurosField(StringField):
    """Euros typed by a person ("1 234,50" or "1234.50"), read with Decimal into ``cents``."""

    cents: int | None = None

    def __init__(self, label=None, validators=None, allow_zero=False, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.allow_zero = allow_zero

    def pre_validate(self, form):
        self.cents = None
        if not (self.data or "").strip():
            return
        cents = parse_euros(self.data)
        if cents is None:
            raise ValidationError(_l("Écrivez un montant en euros, par exemple 1 234,50."))
        if cents < 0 or (cents == 0 and not self.allow_zero):
            raise ValidationError(_l("Le montant doit être positif."))
        if cents > MAX_CENTS:
            raise ValidationError(_l("Ce montant dépasse 10 000 000 € : vérifiez la saisie."))
        self.cents = cents


class JournalForm(AppForm):
    body = TextAreaField(_l("Nouvelle entrée du journal"),
                         validators=[InputRequired(REQUIRED), too_long(2000)],
                         description=_l("Ce qui a été fait, appris ou décidé ; ce qui bloque."))


class BudgetLineForm(AppSubForm):
    side = SelectField(_l("Type"), choices=[(CHARGE, _l("Charge")), (INCOME, _l("Produit"))],
                       validators=[Optional()])
    account = StringField(_l("Compte"), validators=[
        Optional(), Regexp(r"^\d{2,6}$", message=_l("De 2 à 6 chiffres, par exemple 606."))])
    label = StringField(_l("Libellé"), validators=[Optional(), too_long(160)])
    amount = EurosField(_l("Montant (€)"), validators=[Optional()])

    def is_blank(self) -> bool:
        return not any((field.data or "").strip()
                       for field in (self.account, self.label, self.amount))


class DeliverablesForm(AppForm):
    prototype = TextAreaField(_l("Description du prototype"),
                              validators=[InputRequired(REQUIRED), too_long(4000)])
    indicators = TextAreaField(_l("Indicateurs de réussite"),
                               validators=[InputRequired(REQUIRED), too_long(2000)],
                               description=_l("Un indicateur par ligne, avec sa cible."))
    lines = FieldList(FormField(BudgetLineForm), min_entries=BUDGET_ROWS,
                      max_entries=BUDGET_ROWS)
