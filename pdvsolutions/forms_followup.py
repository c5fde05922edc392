"""Form pieces shared by the follow-up screens (staff, operators, evaluators)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from .auth.forms import AppForm, no_markup, too_long
from .rules import evaluation as rules
from .rules.money import parse_euros


class EurosField(StringField):
    """An amount typed in euros ("1 234,50" or "1234.50"), held as integer cents in ``data``."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, int):
            return f"{self.data // 100},{self.data % 100:02d}"
        return ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_euros(valuelist[0])
            except ValueError as error:
                self.data = None
                raise ValueError(_l("Saisissez un montant en euros, par exemple 1 234,50 "
                                    "(100 millions d'euros au plus).")) from error


class FrenchDateField(DateField):
    """An ISO date input whose parsing error is in French and whose years stay plausible."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Saisissez une date valide (jj/mm/aaaa).")) from error

    def pre_validate(self, form):
        if self.data is not None and not date(2000, 1, 1) <= self.data <= date(2100, 12, 31):
            raise ValidationError(_l("Cette date n'est pas plausible."))


class _FrenchChoice:
    """A choice field whose "not a valid choice" errors are the field's own French message."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Choisissez une valeur de la liste.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            self.data = None
            raise ValueError(self.invalid_message) from error

    def pre_validate(self, form):
        if self.process_errors:
            return
        if self.data not in [value for value, *_ in self.iter_choices_values()]:
            raise ValidationError(self.invalid_message)

    def iter_choices_values(self):
        return [(choice[0],) for choice in (self.choices or [])]


class ChoiceRadio(_FrenchChoice, RadioField):
    """Radio buttons with French errors (rendered by the macros as a RadioField fieldset)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "RadioField"


class ChoiceSelect(_FrenchChoice, SelectField):
    """A drop-down list with French errors."""






RATING_CHOICES = [(v, str(v)) for v in rules.SCALE]
CRITERIA_LABELS = {
    "answers_need": _l("L'action répond-elle au besoin ?"),
    "quality": _l("Qualité de l'action"),
    "reach": _l("Portée dans le quartier"),
    "relation": _l("Relation avec les habitants"),
}
RENEW_LABELS = {"yes": _l("Oui"), "no": _l("Non"), "dont_know": _l("Je ne sais pas")}


def rating_field(criterion: str) -> RadioField:
    message = _l("Choisissez une note de 1 à 5.")
    return ChoiceRadio(CRITERIA_LABELS[criterion], choices=RATING_CHOICES, coerce=int,
                       validators=[InputRequired(message)], invalid_message=message,
                       description=_l("1 : pas du tout, 5 : tout à fait."))


class EvaluationFields(AppForm):
    answers_need = rating_field("answers_need")
    quality = rating_field("quality")
    reach = rating_field("reach")
    relation = rating_field("relation")
    comment = TextAreaField(_l("Commentaire (facultatif)"),
                            validators=[Optional(), too_long(2000), no_markup],
                            description=_l("Il sera publié dans le rapport, sans votre nom."))
    def answers_data(self) -> dict:
        """The answers as keyword arguments of ``services.evaluation.Answers``."""
        data = {criterion: self[criterion].data for criterion in rules.CRITERIA}
        return {**data, "comment": self.comment.data or "", "renew": self.renew.data}

    renew = ChoiceRadio(_l("Faut-il renouveler l'action l'an prochain ?"),
                        choices=list(RENEW_LABELS.items()),
                        validators=[InputRequired(_l("Choisissez une réponse."))],
                        invalid_message=_l("Choisissez une réponse."))
