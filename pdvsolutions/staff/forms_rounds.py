"""Forms of the staff pages on rounds: settings of a draft round, phase change."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..auth.forms import REQUIRED, AppForm, WholeNumberField, safe_int, too_long
from ..forms_followup import ChoiceSelect
from ..models import BallotType, Completion, TallyRule
from ..rules.money import parse_euros
from ..rules.phases import ORDER, Phase
from ..services.rounds import PHASE_LABELS


class FrenchDateField(DateField):
    """A date field whose parse error is in French."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Saisissez une date valide.")) from error


def euros_valid(form, field):
    if field.data:
        try:
            parse_euros(field.data)
        except ValueError as error:
            raise ValidationError(
                _l("Saisissez un montant en euros, par exemple 120 000 ou 1 234,50.")) from error


def _euros(label, required=False, description=None):
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return StringField(label, validators=[*validators, too_long(20), euros_valid],
                       description=description, render_kw={"inputmode": "decimal"})


BALLOT_LABELS = {
    BallotType.APPROVAL: _l("Approbation (on coche les propositions choisies)"),
    BallotType.KNAPSACK: _l("Approbation dans la limite de l'enveloppe"),
    BallotType.CUMULATIVE: _l("Points à répartir"),
}
TALLY_LABELS = {
    TallyRule.GREEDY: _l("Par nombre de voix, tant que l'enveloppe le permet"),
    TallyRule.EQUAL_SHARES: _l("Parts égales (proportionnel)"),
}
COMPLETION_LABELS = {
    Completion.ADD1: _l("Part de chaque votant augmentée d'un euro à la fois tant que le résultat "
                        "tient dans l'enveloppe (« Add1 », comme à Assen)"),
    Completion.ADD1_COMPARISON: _l("Add1, puis comparaison avec le vote par nombre de voix : "
                                   "celui-ci l'emporte si plus de votants le préfèrent "
                                   "(comme à Wieliczka)"),
    Completion.NONE: _l("Aucun complément (une partie de l'enveloppe peut rester inutilisée)"),
}


class RoundForm(AppForm):
    territory_id = SelectField(_l("Territoire"), coerce=lambda v: safe_int(v), validate_choice=False,
                               validators=[InputRequired(REQUIRED)])
    title = StringField(_l("Titre"), validators=[InputRequired(REQUIRED), too_long(160)])
    presentation = TextAreaField(_l("Présentation"), validators=[Optional(), too_long(5000)],
                                 render_kw={"rows": 5})
    envelope = _euros(_l("Enveloppe de fonctionnement (euros)"), required=True)
    max_duration_months = WholeNumberField(
        _l("Durée maximale d'une action (mois)"), default=36,
        validators=[InputRequired(REQUIRED),
                    NumberRange(1, 60, message=_l("Entre 1 et 60 mois."))])
    year1 = _euros(_l("Dont année 1 (euros, facultatif)"),
                   description=_l("Si les actions durent plusieurs années : la répartition "
                                  "doit faire le total de l'enveloppe."))
    year2 = _euros(_l("Dont année 2 (euros, facultatif)"))
    year3 = _euros(_l("Dont année 3 (euros, facultatif)"))
    fields = TextAreaField(
        _l("Thématiques"), validators=[InputRequired(REQUIRED), too_long(2000)],
        description=_l("Une thématique par ligne."), render_kw={"rows": 5})
    call_deadline = FrenchDateField(_l("Date limite de dépôt des propositions"),
                                    validators=[Optional()])
    ballot_type = SelectField(_l("Type de bulletin"),
                              choices=[(b.value, label) for b, label in BALLOT_LABELS.items()],
                              validators=[InputRequired(REQUIRED)])
    min_approvals = WholeNumberField(
        _l("Nombre minimum de choix (facultatif)"),
        validators=[Optional(), NumberRange(1, 100, message=_l("Entre 1 et 100."))])
    max_approvals = WholeNumberField(
        _l("Nombre maximum de choix (facultatif)"),
        validators=[Optional(), NumberRange(1, 100, message=_l("Entre 1 et 100."))])
    points_total = WholeNumberField(
        _l("Points à répartir (vote par points)"),
        validators=[Optional(), NumberRange(1, 1000, message=_l("Entre 1 et 1000."))])
    tally_rule = SelectField(_l("Règle de dépouillement"),
                             choices=[(t.value, label) for t, label in TALLY_LABELS.items()],
                             validators=[InputRequired(REQUIRED)])
    completion = ChoiceSelect(
        _l("Complément de la méthode des parts égales"),
        choices=[(c.value, label) for c, label in COMPLETION_LABELS.items()],
        default=Completion.ADD1.value,  # what the cities using the method do
        description=_l("Sans effet sur le vote par nombre de voix. Les parts égales laissent "
                       "souvent une partie de l'enveloppe : le complément la répartit, comme le "
                       "font les villes qui utilisent cette méthode."))
    open_vote = BooleanField(_l("Vote ouvert à tous les habitants du territoire (sinon : le "
                                "comité d'habitants)"))


for _phase in ORDER:
    setattr(RoundForm, f"date_{_phase.value}", FrenchDateField(
        _l("Début prévu : %(phase)s", phase=PHASE_LABELS[_phase]), validators=[Optional()]))


def field_labels(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def planned_dates(form: RoundForm) -> dict[Phase, object]:
    return {p: getattr(form, f"date_{p.value}").data for p in ORDER}


class PhaseForm(AppForm):
    """The confirmation of a phase change names the phase confirmed: a second click, or a page
    left open while a colleague moved the round, cannot move it one phase further."""

    target = HiddenField(validators=[InputRequired(REQUIRED)])
