"""Forms of the accounts blueprint. Forms validate; they never write to the database."""

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtf_translations
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms import Form as _PlainForm
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..rules.text import has_control_characters, has_markup, without_control_characters

REQUIRED = _l("Ce champ est obligatoire.")
#: Largest whole number a form accepts (a PostgreSQL ``integer`` column: ids, counts, years).
INT_MAX = 2**31 - 1


def no_markup(form, field):
    """Refuse HTML or script in free text: it would be shown as is, never interpreted."""
    if field.data and has_markup(field.data):
        raise ValidationError(_l("Le texte ne doit pas contenir de balises HTML (< >)."))


def no_control_characters(form, field):
    """Refuse invisible control characters (NUL…): PostgreSQL refuses NUL in text."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(_l("Le texte contient un caractère invisible non autorisé "
                                 "(caractère de contrôle) : retapez-le sans copier-coller."))


def too_long(limit: int):
    return Length(max=limit, message=_l("%(max)d caractères au maximum.", max=limit))


def safe_int(value) -> int | None:
    """The integer typed in a form or a query string, or None: a tampered value (letters,
    hundreds of digits, more than a database integer holds) is not an error page."""
    try:
        number = int(value)
    except (TypeError, ValueError):  # Python also refuses integers of more than 4300 digits
        return None
    return number if -INT_MAX <= number <= INT_MAX else None


def query_text(name: str, limit: int) -> str:
    """Free text of the query string (a search, a code), trimmed and cut to ``limit``; control
    characters are dropped: they match nothing, and PostgreSQL refuses NUL in a query."""
    return without_control_characters(request.args.get(name, "")).strip()[:limit]


def requested_page() -> int:
    """The page number asked in the query string (``?page=``), 1 when absent or tampered."""
    return max(1, safe_int(request.args.get("page")) or 1)


class WholeNumberField(IntegerField):
    """A whole number with French errors, never larger than a database integer."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Saisissez un nombre entier, sans lettres ni virgule.")) from error
        if self.data is not None and not -INT_MAX <= self.data <= INT_MAX:
            self.data = None
            raise ValueError(_l("Ce nombre est trop grand."))


class _TextChecks:
    """Checks every form runs on all its text fields, whatever their own validators."""

    def validate(self, extra_validators=None):
        extra = {name: list(checks) for name, checks in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, HiddenField):
                # Not typed by the person, who could not correct it: a tampered value (a
                # ``next`` from a link) loses its control characters instead.
                if isinstance(field.data, str):
                    field.data = without_control_characters(field.data)
            elif isinstance(field, StringField):  # text, text area, e-mail, password
                extra.setdefault(name, []).append(no_control_characters)
        return super().validate(extra_validators=extra)


class AppForm(_TextChecks, FlaskForm):
    """Base of every form of the app: no control character in any text field."""


class AppSubForm(_TextChecks, _PlainForm):
    """Base of the rows of a FieldList (no CSRF token of their own), with the same checks."""

    class Meta:
        def get_translations(self, form):
            # WTForms' own messages in the page's language, as in FlaskForm.
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtf_translations


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


class EmptyForm(AppForm):
    """A form with only the CSRF token, for POST buttons (logout, actions)."""


class LoginForm(AppForm):
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


class SignupForm(AppForm):
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


class ActivationForm(AppForm):
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


class ForgotForm(AppForm):
    identifier = StringField(
        _l("Adresse e-mail"),
        validators=[InputRequired(REQUIRED), too_long(254)],
        render_kw={"autocomplete": "email"},
    )


class ResetForm(AppForm):
    password = password_field(_l("Nouveau mot de passe"))
    password_confirm = confirm_field()


class PasswordChangeForm(AppForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[InputRequired(REQUIRED), too_long(256)],
        render_kw={"autocomplete": "current-password"},
    )
    password = password_field(_l("Nouveau mot de passe"))
    password_confirm = confirm_field()


class LanguageForm(AppForm):
    language = SelectField(choices=[("fr", "Français"), ("en", "English")])
    next = HiddenField()
