"""Forms of the second factor and of the personal-data pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired

from .forms import REQUIRED, AppForm, too_long


def code_field(label, description):
    return StringField(
        label,
        validators=[InputRequired(REQUIRED), too_long(40)],
        description=description,
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters",
                   "spellcheck": "false"},
    )


class SecondFactorForm(AppForm):
    code = code_field(
        _l("Code de vérification"),
        _l("Les 6 chiffres affichés par votre application, ou un de vos codes de secours."),
    )


class EnrolForm(AppForm):
    code = code_field(
        _l("Code affiché par l'application"),
        _l("6 chiffres : il change toutes les 30 secondes."),
    )


class AccountDeleteForm(AppForm):
    password = PasswordField(
        _l("Votre mot de passe"),
        validators=[InputRequired(REQUIRED), too_long(256)],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("Je comprends que mon compte sera supprimé définitivement"),
        validators=[DataRequired(_l("Cochez la case pour confirmer."))],
    )
