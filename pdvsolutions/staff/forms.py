"""Forms of the staff blueprint."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from ..auth.forms import REQUIRED, AppForm, too_long
from ..models import Role

ROLE_LABELS = {
    Role.RESIDENT: _l("Habitant·e"),
    Role.OPERATOR: _l("Opérateur (structure)"),
    Role.STAFF: _l("Agent"),
    Role.ADMIN: _l("Administrateur"),
}


class AccountForm(AppForm):
    first_name = StringField(_l("Prénom"), validators=[InputRequired(REQUIRED), too_long(80)])
    last_name = StringField(_l("Nom (facultatif)"), validators=[Optional(), too_long(80)])
    username = StringField(
        _l("Identifiant de connexion"),
        validators=[
            Optional(),
            Length(min=3, max=64, message=_l("Entre 3 et 64 caractères.")),
            Regexp(r"^[a-zA-Z0-9._-]+$",
                   message=_l("Lettres sans accent, chiffres, point, tiret ou tiret bas.")),
        ],
        description=_l("Pour une personne sans adresse e-mail, par exemple « fatima.b »."),
    )
    email = EmailField(
        _l("Adresse e-mail (facultative)"),
        validators=[Optional(), too_long(254),
                    Email(message=_l("Cette adresse e-mail n'est pas valide."),
                          check_deliverability=False)],
    )
    role = SelectField(_l("Rôle"), validators=[InputRequired(REQUIRED)])
    qpv_code = SelectField(_l("Quartier (pour un habitant)"), validators=[Optional()])


class TerritoryForm(AppForm):
    name = StringField(_l("Nom du territoire"), validators=[InputRequired(REQUIRED), too_long(120)])
    qpv_codes = TextAreaField(
        _l("Codes QPV"),
        validators=[InputRequired(REQUIRED), too_long(2000)],
        description=_l("Un ou plusieurs codes séparés par des espaces, par exemple QN01306M."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), too_long(1000)])


class AuditFilterForm(AppForm):
    class Meta:
        csrf = False

    action = StringField(_l("Action"), validators=[Optional(), too_long(64)])
    actor_id = StringField(_l("N° de compte"), validators=[Optional(), too_long(12),
                           Regexp(r"^\d+$", message=_l("Un nombre entier."))])
    outcome = SelectField(
        _l("Résultat"),
        choices=[("", _l("Tous")), ("success", _l("Réussi")), ("failure", _l("Échec")),
                 ("denied", _l("Refusé"))],
        validators=[Optional()],
    )
    since = DateField(_l("Depuis le"), validators=[Optional()])
    until = DateField(_l("Jusqu'au"), validators=[Optional()])
