"""Forms of the staff pages on needs: assisted entry and moderation."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..auth.forms import REQUIRED, AppForm, too_long
from ..residents.forms import DESCRIPTION_MAX, TITLE_MAX, NeedForm


class AssistedNeedForm(NeedForm):
    resident = StringField(
        _l("Habitant·e : adresse e-mail ou identifiant de connexion"),
        validators=[InputRequired(REQUIRED), too_long(254)],
        description=_l("Si la personne n'a pas de compte, créez-le d'abord avec un code "
                       "d'invitation."))


class HideForm(AppForm):
    reason = TextAreaField(
        _l("Motif (montré à l'auteur)"), validators=[InputRequired(REQUIRED), too_long(500)],
        description=_l("Par exemple : « propos injurieux », « ne concerne pas le quartier »."),
        render_kw={"rows": 3})


class MergeForm(AppForm):
    kept_id = SelectField(_l("Solution attendue à garder"), coerce=str, validate_choice=False,
                          validators=[InputRequired(REQUIRED)])


class RetainForm(AppForm):
    call_title = StringField(
        _l("Titre dans l'appel (facultatif)"), validators=[Optional(), too_long(TITLE_MAX)],
        description=_l("Laissez vide pour garder les mots de l'habitant."))
    call_description = TextAreaField(
        _l("Solution attendue reformulée (facultatif)"),
        validators=[Optional(), too_long(DESCRIPTION_MAX)], render_kw={"rows": 4})
