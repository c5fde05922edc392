"""Forms of the operators blueprint (and the staff decision form). They never write."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from ..auth.forms import (
    REQUIRED,
    AppForm,
    WholeNumberField,
    confirm_field,
    password_field,
    too_long,
)
from ..models import DocumentKind, LegalForm
from ..rules import budget

LEGAL_FORM_LABELS = {
    LegalForm.ASSOCIATION: _l("Association loi 1901"),
    LegalForm.SCIC: _l("SCIC (société coopérative d'intérêt collectif)"),
    LegalForm.REGIE: _l("Régie de quartier"),
    LegalForm.COMPANY: _l("Entreprise"),
    LegalForm.OTHER: _l("Autre"),
}
DOCUMENT_LABELS = {
    DocumentKind.STATUTES: _l("Statuts"),
    DocumentKind.DIRECTORS: _l("Liste des dirigeants"),
    DocumentKind.BANK_DETAILS: _l("Relevé d'identité bancaire"),
    DocumentKind.ACCOUNTS: _l("Derniers comptes approuvés"),
    DocumentKind.OTHER: _l("Autre document"),
}
ACCOUNT_LABELS = {
    "60": _l("60 – Achats"), "61": _l("61 – Services extérieurs"),
    "62": _l("62 – Autres services extérieurs"), "63": _l("63 – Impôts et taxes"),
    "64": _l("64 – Charges de personnel"), "65": _l("65 – Autres charges de gestion courante"),
    "66": _l("66 – Charges financières"), "67": _l("67 – Charges exceptionnelles"),
    "68": _l("68 – Dotations aux amortissements"),
    "70": _l("70 – Ventes, prestations de services"), "71": _l("71 – Production stockée"),
    "72": _l("72 – Production immobilisée"), "73": _l("73 – Dotations et produits de tarification"),
    "74": _l("74 – Subvention d'un autre financeur"),
    "75": _l("75 – Autres produits de gestion courante (cotisations, dons)"),
    "76": _l("76 – Produits financiers"), "77": _l("77 – Produits exceptionnels"),
    "78": _l("78 – Reprises sur amortissements et provisions"),
    "86": _l("86 – Emplois des contributions volontaires en nature"),
    "87": _l("87 – Contributions volontaires en nature (bénévolat, dons en nature)"),
}
FUNDERS = {
    "etat": _l("État"), "region": _l("Région"), "departement": _l("Département"),
    "epci": _l("Intercommunalité (autre dispositif)"), "commune": _l("Commune"),
    "caf": _l("CAF"), "europe": _l("Fonds européens"), "fondation": _l("Fondation"),
    "autre": _l("Autre financeur"),
}
FUNDER_STATUS_LABELS = {"requested": _l("Demandée"), "obtained": _l("Obtenue")}


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (usable without JavaScript on a small phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class EurosField(StringField):
    """An amount typed in euros ("1 234,50" or "1234.50"), exposed as integer cents."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = budget.parse_euros(self.raw)
            except ValueError:
                raise ValueError(_l("Écrivez un montant en euros, par exemple 1 250,50.")) \
                    from None

    def _value(self):
        return getattr(self, "raw", "") or ""


def no_markup(form, field):
    """Refuse angle brackets: plain text only (names, titles)."""
    if field.data and ("<" in field.data or ">" in field.data):
        raise ValidationError(_l("Les caractères < et > ne sont pas acceptés."))


class OperatorSignupForm(AppForm):
    first_name = StringField(_l("Prénom"), validators=[InputRequired(REQUIRED), too_long(80),
                                                       no_markup])
    last_name = StringField(_l("Nom"), validators=[InputRequired(REQUIRED), too_long(80),
                                                   no_markup])
    email = EmailField(_l("Adresse e-mail professionnelle"), validators=[
        InputRequired(REQUIRED), too_long(254),
        Email(message=_l("Cette adresse e-mail n'est pas valide."), check_deliverability=False)])
    password = password_field(_l("Mot de passe"))
    password_confirm = confirm_field()
    accept_privacy = BooleanField(
        _l("J'ai lu la notice sur les données personnelles"),
        validators=[DataRequired(_l("Vous devez avoir lu la notice pour créer un compte."))])


class OrganizationForm(AppForm):
    name = StringField(_l("Nom de la structure"),
                       validators=[InputRequired(REQUIRED), too_long(200), no_markup])
    legal_form = SelectField(_l("Forme juridique"),
                             choices=[(k.value, v) for k, v in LEGAL_FORM_LABELS.items()],
                             validators=[InputRequired(REQUIRED)])
    siret = StringField(_l("Numéro SIRET"), validators=[InputRequired(REQUIRED), too_long(20)],
                        description=_l("14 chiffres, par exemple 356 000 000 00048."),
                        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    rna = StringField(_l("Numéro RNA (facultatif)"), validators=[Optional(), too_long(12)],
                      description=_l("W suivi de 9 chiffres. Les associations d'Alsace-Moselle "
                                     "n'en ont pas."))
    address = TextAreaField(_l("Adresse du siège"),
                            validators=[InputRequired(REQUIRED), too_long(300), no_markup])
    legal_rep_name = StringField(_l("Représentant légal (nom et prénom)"),
                                 validators=[InputRequired(REQUIRED), too_long(120), no_markup])
    legal_rep_role = StringField(_l("Qualité du représentant (président·e, gérant·e…)"),
                                 validators=[InputRequired(REQUIRED), too_long(80), no_markup])
    contact_email = EmailField(_l("E-mail de contact"), validators=[
        InputRequired(REQUIRED), too_long(254),
        Email(message=_l("Cette adresse e-mail n'est pas valide."), check_deliverability=False)])
    contact_phone = StringField(_l("Téléphone de contact (facultatif)"),
                                validators=[Optional(), too_long(30), no_markup],
                                render_kw={"inputmode": "tel", "autocomplete": "tel"})


class DocumentForm(AppForm):
    kind = SelectField(_l("Type de document"),
                       choices=[(k.value, v) for k, v in DOCUMENT_LABELS.items()],
                       validators=[InputRequired(REQUIRED)])
    file = FileField(_l("Fichier PDF (5 Mo au plus)"),
                     validators=[FileRequired(_l("Choisissez un fichier."))],
                     render_kw={"accept": "application/pdf"})


class InviteForm(AppForm):
    first_name = StringField(_l("Prénom"), validators=[InputRequired(REQUIRED), too_long(80),
                                                       no_markup])
    last_name = StringField(_l("Nom"), validators=[Optional(), too_long(80), no_markup])
    email = EmailField(_l("Adresse e-mail"), validators=[
        InputRequired(REQUIRED), too_long(254),
        Email(message=_l("Cette adresse e-mail n'est pas valide."), check_deliverability=False)])


class ProposalNewForm(AppForm):
    organization_id = SelectField(_l("Structure"), coerce=int,
                                  validators=[InputRequired(REQUIRED)])
    title = StringField(_l("Titre de l'action"),
                        validators=[InputRequired(REQUIRED), too_long(160), no_markup])
    need_ids = MultiCheckboxField(_l("Solutions attendues auxquelles l'action répond"),
                                  coerce=int, validators=[DataRequired(
                                      _l("Choisissez au moins une solution attendue."))])


class ProposalSheetForm(AppForm):
    title = StringField(_l("Titre de l'action"),
                        validators=[InputRequired(REQUIRED), too_long(160), no_markup])
    need_ids = MultiCheckboxField(_l("Solutions attendues auxquelles l'action répond"),
                                  coerce=int, validators=[DataRequired(
                                      _l("Choisissez au moins une solution attendue."))])
    objectives = TextAreaField(_l("Objectifs"),
                               validators=[InputRequired(REQUIRED), too_long(3000)])
    description = TextAreaField(_l("Description de l'action"),
                                validators=[InputRequired(REQUIRED), too_long(8000)])
    target_public = StringField(_l("Public visé"),
                                validators=[InputRequired(REQUIRED), too_long(500), no_markup])
    beneficiaries = WholeNumberField(
        _l("Nombre de bénéficiaires attendus"),
        validators=[InputRequired(_l("Indiquez un nombre entier.")),
                    NumberRange(min=1, max=1_000_000,
                                message=_l("Entre 1 et 1 000 000 personnes."))])
    qpv_codes = MultiCheckboxField(_l("Quartiers concernés"), validators=[
        DataRequired(_l("Choisissez au moins un quartier."))])
    start_on = DateField(_l("Date de début"),
                         validators=[InputRequired(_l("Indiquez une date valide."))])
    end_on = DateField(_l("Date de fin"),
                       validators=[InputRequired(_l("Indiquez une date valide."))])
    human_means = TextAreaField(_l("Moyens humains (salariés, bénévoles, intervenants)"),
                                validators=[InputRequired(REQUIRED), too_long(3000)])


class BudgetLineForm(AppForm):
    account = SelectField(_l("Compte"), choices=[(k, v) for k, v in ACCOUNT_LABELS.items()],
                          validators=[InputRequired(REQUIRED)])
    label = StringField(_l("Libellé"), validators=[InputRequired(REQUIRED), too_long(160),
                                                   no_markup],
                        description=_l("Par exemple : salaire de l'animatrice (0,5 ETP)."))
    amount = EurosField(_l("Montant en euros"), validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "decimal"})
    funder = SelectField(_l("Financeur (pour le compte 74 seulement)"),
                         choices=[("", _l("— Aucun —"))] + list(FUNDERS.items()),
                         validators=[Optional()])
    funder_status = SelectField(_l("Subvention demandée ou obtenue (compte 74)"),
                                choices=[("", _l("— Sans objet —"))]
                                + list(FUNDER_STATUS_LABELS.items()),
                                validators=[Optional()])


class SplitForm(AppForm):
    year_1 = EurosField(_l("Année 1"))
    year_2 = EurosField(_l("Année 2"))
    year_3 = EurosField(_l("Année 3"))
    year_4 = EurosField(_l("Année 4"))
    year_5 = EurosField(_l("Année 5"))


class IndicatorForm(AppForm):
    label = StringField(_l("Indicateur"), validators=[InputRequired(REQUIRED), too_long(160),
                                                      no_markup],
                        description=_l("Par exemple : jeunes accompagnés jusqu'au concours."))
    target = WholeNumberField(_l("Valeur cible"), validators=[
        InputRequired(_l("Indiquez un nombre entier.")),
        NumberRange(min=0, max=1_000_000_000, message=_l("Un nombre entre 0 et 1 milliard."))])
    unit = StringField(_l("Unité"), validators=[InputRequired(REQUIRED), too_long(40),
                                                no_markup],
                       description=_l("Par exemple : personnes, séances, %."))


class SubmitForm(AppForm):
    signer_name = StringField(_l("Nom et prénom du signataire"),
                              validators=[InputRequired(REQUIRED), too_long(120), no_markup])
    signer_role = StringField(_l("Qualité du signataire"),
                              validators=[InputRequired(REQUIRED), too_long(80), no_markup])
    sworn = BooleanField(
        _l("Je certifie sur l'honneur l'exactitude des informations de cette proposition, que la "
           "structure est à jour de ses obligations sociales et fiscales, et que la subvention "
           "demandée sera utilisée pour cette action."),
        validators=[DataRequired(_l("L'attestation sur l'honneur est obligatoire."))])
