"""Staff forms of the follow-up: grants, instalments, payments, reviews, paper evaluations."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..auth.forms import REQUIRED, AppForm, WholeNumberField, too_long
from ..forms_followup import (
    ChoiceSelect,
    EurosField,
    EvaluationFields,
    FrenchDateField,
    no_markup,
)

#: Years a multi-year grant can be split over (the rounds fund up to 36 months).
SPLIT_YEARS = 4
YEAR_RANGE = NumberRange(min=2000, max=2100, message=_l("Indiquez une année entre 2000 et 2100."))


class GrantForm(AppForm):
    reference = StringField(_l("Référence de la convention"),
                            validators=[InputRequired(REQUIRED), too_long(60), no_markup],
                            description=_l("Par exemple : DEL-2026-0412."))
    decided_on = FrenchDateField(_l("Date de la convention"),
                                 validators=[InputRequired(REQUIRED)])
    amount = EurosField(_l("Montant accordé (€)"), validators=[InputRequired(REQUIRED)],
                        description=_l("Par défaut, le montant demandé."))
    adjustment_reason = TextAreaField(
        _l("Raison de l'ajustement"), validators=[Optional(), too_long(500), no_markup],
        description=_l("Obligatoire si le montant diffère du montant demandé."))


for _n in range(1, SPLIT_YEARS + 1):
    setattr(GrantForm, f"year_{_n}", WholeNumberField(
        _l("Année %(n)d", n=_n), validators=[Optional(), YEAR_RANGE]))
    setattr(GrantForm, f"year_amount_{_n}", EurosField(
        _l("Montant de l'année %(n)d (€)", n=_n), validators=[Optional()]))


def grant_years(form: GrantForm) -> list[tuple[int, int]] | None:
    """The (year, cents) pairs typed; None when a row is half filled."""
    pairs = []
    for n in range(1, SPLIT_YEARS + 1):
        year, cents = form[f"year_{n}"].data, form[f"year_amount_{n}"].data
        if year is None and cents is None:
            continue
        if year is None or cents is None:
            return None
        pairs.append((year, cents))
    return pairs


class PaymentForm(AppForm):
    planned_on = FrenchDateField(_l("Date prévue"), validators=[InputRequired(REQUIRED)])
    amount = EurosField(_l("Montant (€)"), validators=[InputRequired(REQUIRED)])
    condition = StringField(_l("Condition du versement"),
                            validators=[InputRequired(REQUIRED), too_long(200), no_markup],
                            description=_l("Par exemple : à la signature, sur bilan "
                                           "intermédiaire."))


class PaidForm(AppForm):
    paid_on = FrenchDateField(_l("Date du versement"), validators=[InputRequired(REQUIRED)])


class MoreForm(AppForm):
    comment = TextAreaField(_l("Ce qui manque"),
                            validators=[InputRequired(REQUIRED), too_long(1000), no_markup])


class HideForm(AppForm):
    reason = StringField(_l("Raison du masquage"),
                         validators=[InputRequired(REQUIRED), too_long(300), no_markup])


class PhaseForm(AppForm):
    target = HiddenField(validators=[InputRequired(REQUIRED)])


class PaperEvaluationForm(EvaluationFields):
    voter_id = ChoiceSelect(_l("Habitant qui a rempli la fiche papier"), coerce=int,
                           validators=[InputRequired(REQUIRED)])
    proposal_id = ChoiceSelect(_l("Action évaluée"), coerce=int,
                              validators=[InputRequired(REQUIRED)])


class NextRoundForm(AppForm):
    title = StringField(_l("Titre de la nouvelle édition"),
                        validators=[InputRequired(REQUIRED), too_long(160), no_markup])
    envelope = EurosField(_l("Enveloppe (€)"), validators=[InputRequired(REQUIRED)])
