"""Forms of the staff pages of the anti-appel à projets and of the CPO."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from ..auth.forms import REQUIRED, no_markup, too_long
from ..forms_followup import ChoiceRadio, EurosField, FrenchDateField
from ..models import DecisionOutcome, LegalForm, PartnerKind
from ..rules.agreements import ReviewDecision
from ..rules.pipeline import ProspectStatus
from ..rules.sprints import DEFAULT_LENGTH_DAYS, MAX_LENGTH_DAYS

DATE_INVALID = _l("Saisissez une date valide (jj/mm/aaaa).")

PARTNER_LABELS = {
    PartnerKind.STATE: _l("État"),
    PartnerKind.METROPOLE: _l("Métropole"),
    PartnerKind.COMMUNE: _l("Commune"),
    PartnerKind.LANDLORD: _l("Bailleur social"),
    PartnerKind.ASSOCIATION: _l("Association"),
    PartnerKind.OTHER: _l("Autre partenaire"),
}
STATUS_LABELS = {
    ProspectStatus.SPOTTED: _l("Repérée"),
    ProspectStatus.CONTACTED: _l("Contactée"),
    ProspectStatus.SPRINT: _l("En sprint"),
    ProspectStatus.PITCHED: _l("Pitch présenté"),
    ProspectStatus.FUNDED: _l("Financée"),
    ProspectStatus.DECLINED: _l("Refusée"),
    ProspectStatus.DROPPED: _l("Abandon"),
}
LEGAL_FORM_LABELS = {
    LegalForm.ASSOCIATION: _l("Association loi 1901"),
    LegalForm.SCIC: _l("SCIC"),
    LegalForm.REGIE: _l("Régie de quartier"),
    LegalForm.COMPANY: _l("Entreprise"),
    LegalForm.OTHER: _l("Autre"),
}
DECISION_LABELS = {
    ReviewDecision.RELEASED: _l("Tranche débloquée"),
    ReviewDecision.REDUCED: _l("Tranche réduite (raison obligatoire)"),
    ReviewDecision.SUSPENDED: _l("Tranche suspendue (raison obligatoire)"),
}


def date_field(label, required=True):
    validators = [InputRequired(DATE_INVALID)] if required else [Optional()]
    return FrenchDateField(label, validators=validators)


class FundForm(FlaskForm):
    name = StringField(_l("Nom du fonds"), validators=[InputRequired(REQUIRED), too_long(160), no_markup])
    funder = StringField(_l("Financeur"), validators=[InputRequired(REQUIRED), too_long(160), no_markup],
                         description=_l("Par exemple : Fondation de France, la Métropole."))
    total = EurosField(_l("Montant total (€)"), validators=[InputRequired(REQUIRED)])
    starts_on = date_field(_l("Début de la période"))
    ends_on = date_field(_l("Fin de la période"))


class ChallengeForm(FlaskForm):
    title = StringField(_l("Titre du défi"), validators=[InputRequired(REQUIRED), too_long(160), no_markup])
    description = TextAreaField(_l("Description"),
                                validators=[InputRequired(REQUIRED), too_long(2000), no_markup])
    territory_id = SelectField(_l("Territoire"), coerce=int,
                               validators=[InputRequired(REQUIRED)])
    field = StringField(_l("Thématique"), validators=[InputRequired(REQUIRED), too_long(80), no_markup],
                        description=_l("Éducation, insertion, cadre de vie, santé…"))
    partner_kind = SelectField(_l("Partenaire qui l'a identifié"),
                               choices=[(k.value, v) for k, v in PARTNER_LABELS.items()],
                               validators=[InputRequired(REQUIRED)])
    partner_name = StringField(_l("Nom du partenaire"),
                               validators=[InputRequired(REQUIRED), too_long(160), no_markup])


class ProspectForm(FlaskForm):
    organization_id = SelectField(_l("Structure déjà connue"), coerce=int,
                                  validators=[Optional()],
                                  description=_l("Ou laissez vide et créez-la ci-dessous."))
    name = StringField(_l("Nom de la nouvelle structure"), validators=[Optional(), too_long(200), no_markup])
    siret = StringField(_l("SIRET de la nouvelle structure"),
                        validators=[Optional(), too_long(20), no_markup],
                        description=_l("14 chiffres, espaces acceptés."))
    legal_form = SelectField(_l("Forme juridique"),
                             choices=[(k.value, v) for k, v in LEGAL_FORM_LABELS.items()],
                             validators=[InputRequired(REQUIRED)])
    notes = TextAreaField(_l("Notes (internes)"), validators=[Optional(), too_long(2000), no_markup],
                          description=_l("La piste de projet, pourquoi cette structure."))


class ContactForm(FlaskForm):
    contacted_on = date_field(_l("Date du contact"))
    channel = SelectField(_l("Moyen"), choices=[
        ("rencontre", _l("Rencontre")), ("telephone", _l("Téléphone")),
        ("courriel", _l("Courriel")), ("atelier", _l("Atelier"))],
        validators=[InputRequired(REQUIRED)])
    summary = TextAreaField(_l("Résumé de l'échange"),
                            validators=[InputRequired(REQUIRED), too_long(1000), no_markup])


class StatusForm(FlaskForm):
    status = SelectField(_l("Nouveau statut"), validators=[InputRequired(REQUIRED)])


class SprintForm(FlaskForm):
    starts_on = date_field(_l("Date de début"))
    length_days = IntegerField(
        _l("Durée (jours)"), default=DEFAULT_LENGTH_DAYS,
        validators=[InputRequired(_l("Indiquez un nombre de jours.")),
                    NumberRange(1, MAX_LENGTH_DAYS, message=_l("Entre 1 et 90 jours."))])
    coach = StringField(_l("Coach"), validators=[InputRequired(REQUIRED), too_long(120), no_markup])


class DecisionForm(FlaskForm):
    outcome = RadioField(_l("Décision"), choices=[
        (DecisionOutcome.FUNDED.value, _l("Financer")),
        (DecisionOutcome.DECLINED.value, _l("Ne pas financer"))],
        validators=[InputRequired(_l("Choisissez une décision."))])
    fund_id = SelectField(_l("Fonds"), coerce=int, validators=[InputRequired(REQUIRED)])
    amount = EurosField(_l("Montant accordé (€)"), validators=[Optional()],
                        description=_l("Obligatoire pour un financement."))
    committee = StringField(_l("Instance qui a décidé"),
                            validators=[InputRequired(REQUIRED), too_long(160), no_markup])
    decided_on = date_field(_l("Date de la décision"))
    reason = TextAreaField(_l("Motivation"), validators=[InputRequired(REQUIRED), too_long(1000), no_markup])


class AgreementForm(FlaskForm):
    organization_id = SelectField(_l("Structure"), coerce=int, validators=[InputRequired(REQUIRED)])
    reference = StringField(_l("Référence de la convention"),
                            validators=[InputRequired(REQUIRED), too_long(60), no_markup])
    title = StringField(_l("Intitulé"), validators=[InputRequired(REQUIRED), too_long(160), no_markup])
    signed_on = date_field(_l("Date de signature"))
    first_year = IntegerField(_l("Première année"), validators=[
        InputRequired(_l("Indiquez une année.")),
        NumberRange(2000, 2100, message=_l("Une année entre 2000 et 2100."))])
    years = IntegerField(_l("Durée (années)"), default=3, validators=[
        InputRequired(_l("Indiquez une durée.")),
        NumberRange(3, 5, message=_l("Une CPO dure de 3 à 5 ans."))])
    yearly = EurosField(_l("Montant annuel (€)"), validators=[InputRequired(REQUIRED)])
    objectives = TextAreaField(_l("Objectifs"), validators=[InputRequired(REQUIRED), too_long(4000), no_markup])
    indicators = TextAreaField(_l("Indicateurs"),
                               validators=[InputRequired(REQUIRED), too_long(2000), no_markup])


class ReviewForm(FlaskForm):
    reviewed_on = date_field(_l("Date de la revue"))
    indicators_achieved = TextAreaField(_l("Indicateurs atteints"),
                                        validators=[InputRequired(REQUIRED), too_long(2000), no_markup])
    assessment = TextAreaField(_l("Appréciation des agents"),
                               validators=[InputRequired(REQUIRED), too_long(2000), no_markup])
    decision = RadioField(_l("Décision sur la tranche"),
                          choices=[(k.value, v) for k, v in DECISION_LABELS.items()],
                          validators=[InputRequired(_l("Choisissez une décision."))])
    amount = EurosField(_l("Montant réduit (€)"), validators=[Optional()],
                        description=_l("Seulement pour une tranche réduite."))
    reason = TextAreaField(_l("Raison"), validators=[Optional(), too_long(1000), no_markup],
                           description=_l("Obligatoire si la tranche est réduite ou suspendue."))
    #: Removed by the view when the organisation has no residents' evaluation.
    residents_evaluation_used = ChoiceRadio(
        _l("La revue tient-elle compte de l'évaluation des habitants ?"),
        choices=[("yes", _l("Oui")), ("no", _l("Non"))], validators=[Optional()],
        description=_l("Facultatif."))

    def residents_evaluation_answer(self) -> bool | None:
        """True, False, or None when the question is not asked or not answered."""
        field = getattr(self, "residents_evaluation_used", None)
        return {"yes": True, "no": False}.get(field.data) if field is not None else None
