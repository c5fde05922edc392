"""Forms of the accounts blueprint. Forms validate; they never write to the database."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..rules.text import has_markup

REQUIRED = _l("Ce champ est obligatoire.")


def no_markup(form, field):
    """Refuse HTML or script in free text: it would be shown as is, never interpreted."""
    if field.data and has_markup(field.data):
        raise ValidationError(_l("Le texte ne doit pas contenir de balises HTML (< >)."))


def too_long(limit: int):
    return Length(max=limit, message=_l("%(max)d caractères au maximum.", max=limit))


def password_field(label):
    return PasswordField(
        label,
        validators=[InputRequired(REQUIRED), Length(max=256, message=_l("256 caractères au maximum."))],
        description=_l("Au moins 12 caractères. Une phrase facile à retenir convient très bien."),
        render_kw={"autocomplete": "new-password", "minlength": 12},
    )


def confirm_field():
    return PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[
            InputRequired(REQUIRED),
            EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons (logout, actions)."""


class LoginForm(FlaskForm):
    identifier = StringField(
        _l("Adresse e-mail ou identifiant"),
        validators=[InputRequired(REQUIRED), too_long(254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(REQUIRED), too_long(256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class SignupForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"), validators=[InputRequired(REQUIRED), too_long(80)],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Nom (facultatif)"), validators=[Optional(), too_long(80)],
        render_kw={"autocomplete": "family-name"},
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            InputRequired(REQUIRED),
            too_long(254),
            Email(message=_l("Cette adresse e-mail n'est pas valide."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )
    qpv_code = SelectField(
        _l("Votre quartier"),
        validators=[DataRequired(_l("Choisissez votre quartier dans la liste."))],
        description=_l("Nous ne demandons pas votre adresse : seulement votre quartier."),
    )
    password = password_field(_l("Mot de passe"))
    password_confirm = confirm_field()
    name_public = BooleanField(
        _l("J'accepte que mon prénom et l'initiale de mon nom apparaissent sur mes propositions"),
    )
    accept_privacy = BooleanField(
        _l("J'ai lu la notice sur les données personnelles"),
        validators=[DataRequired(_l("Vous devez avoir lu la notice pour créer un compte."))],
    )


class ActivationForm(FlaskForm):
    identifier = StringField(
        _l("Identifiant ou adresse e-mail"),
        validators=[InputRequired(REQUIRED), too_long(254)],
        description=_l("Il est écrit sur la feuille remise par l'agent."),
        render_kw={"autocomplete": "username"},
    )
    code = StringField(
        _l("Code d'invitation"),
        validators=[InputRequired(REQUIRED), too_long(40)],
        description=_l("Par exemple : K7PD-3MXQ-A9TB-RW4E. Les tirets sont facultatifs."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters"},
    )
    password = password_field(_l("Choisissez un mot de passe"))
    password_confirm = confirm_field()


class ForgotForm(FlaskForm):
    identifier = StringField(
        _l("Adresse e-mail"),
        validators=[InputRequired(REQUIRED), too_long(254)],
        render_kw={"autocomplete": "email"},
    )


class ResetForm(FlaskForm):
    password = password_field(_l("Nouveau mot de passe"))
    password_confirm = confirm_field()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[InputRequired(REQUIRED), too_long(256)],
        render_kw={"autocomplete": "current-password"},
    )
    password = password_field(_l("Nouveau mot de passe"))
    password_confirm = confirm_field()


class LanguageForm(FlaskForm):
    language = SelectField(choices=[("fr", "Français"), ("en", "English")])
    next = HiddenField()
