"""Forms of the staff committee and vote pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from ..auth.forms import REQUIRED, AppForm, too_long
from .forms import AccountForm

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


class MemberAddForm(AppForm):
    """Designate an existing resident account."""

    login = StringField(_l("Adresse e-mail ou identifiant de l'habitant"),
                        validators=[InputRequired(REQUIRED), too_long(254)])
    college = college_field()


class MemberNewForm(AccountForm):
    """Create a resident account with a printable invitation code, then designate it."""

    role = None  # always a resident account
    college = college_field()


class PaperBallotForm(AppForm):
    """Which member handed the paper ballot in; the choices are read like a ballot."""

    member = SelectField(_l("Membre qui a remis le bulletin"), coerce=int,
                         validators=[InputRequired(REQUIRED)])
