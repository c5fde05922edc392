"""Forms of the staff committee and vote pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from ..auth.forms import REQUIRED, too_long

#: Colleges offered by default (the source's comité de pilotage); staff may type another one.
DEFAULT_COLLEGES = (
    _l("Association de parents d'élèves"),
    _l("Conseil citoyen"),
    _l("Collectif d'habitants"),
)


def college_field():
    return StringField(
        _l("Collège"), validators=[InputRequired(REQUIRED), too_long(80)],
        description=_l("Par exemple : conseil citoyen, association de parents d'élèves, "
                       "collectif d'habitants, ou un autre collège."),
        render_kw={"list": "colleges"},
    )


class MemberAddForm(FlaskForm):
    """Designate an existing resident account."""

    login = StringField(_l("Adresse e-mail ou identifiant de l'habitant"),
                        validators=[InputRequired(REQUIRED), too_long(254)])
    college = college_field()


class MemberNewForm(FlaskForm):
    """Create a resident account with a printable invitation code, then designate it."""

    first_name = StringField(_l("Prénom"), validators=[InputRequired(REQUIRED), too_long(80)])
    last_name = StringField(_l("Nom (facultatif)"), validators=[Optional(), too_long(80)])
    username = StringField(
        _l("Identifiant de connexion"),
        validators=[Optional(), Length(min=3, max=64, message=_l("Entre 3 et 64 caractères.")),
                    Regexp(r"^[a-zA-Z0-9._-]+$",
                           message=_l("Lettres sans accent, chiffres, point, tiret ou tiret bas."))],
    )
    email = EmailField(
        _l("Adresse e-mail (facultative)"),
        validators=[Optional(), too_long(254),
                    Email(message=_l("Cette adresse e-mail n'est pas valide."),
                          check_deliverability=False)],
    )
    qpv_code = SelectField(_l("Quartier"), validators=[InputRequired(REQUIRED)])
    college = college_field()


class PaperBallotForm(FlaskForm):
    """Which member handed the paper ballot in; the choices are read like a ballot."""

    member = SelectField(_l("Membre qui a remis le bulletin"), coerce=int,
                         validators=[InputRequired(REQUIRED)])
