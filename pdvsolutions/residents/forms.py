"""Forms of the residents blueprint: a need, written in plain language."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..auth.forms import REQUIRED, AppForm, safe_int, too_long

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
PLACE_MAX = 120


class NeedForm(AppForm):
    title = StringField(
        _l("En une phrase, ce que vous voulez pour le quartier"),
        validators=[InputRequired(REQUIRED), too_long(TITLE_MAX)],
        description=_l("Par exemple : « On ne veut plus de cafards dans le quartier ». "
                       "120 caractères au maximum."),
        render_kw={"maxlength": TITLE_MAX},
    )
    description = TextAreaField(
        _l("Expliquez : qu'est-ce qui ne va pas aujourd'hui ? Qu'attendez-vous ?"),
        validators=[InputRequired(REQUIRED), too_long(DESCRIPTION_MAX)],
        description=_l("Avec vos mots, sans nommer personne. 2000 caractères au maximum."),
        render_kw={"maxlength": DESCRIPTION_MAX, "rows": 6},
    )
    # The choices are the round's fields; an unknown id is refused by the service with a
    # French message (validate_choice=False keeps WTForms' English one out).
    field_id = SelectField(_l("Thématique"), coerce=lambda v: safe_int(v), validate_choice=False,
                           validators=[InputRequired(REQUIRED)])
    place = StringField(
        _l("Lieu dans le quartier (facultatif)"),
        validators=[Optional(), too_long(PLACE_MAX)],
        description=_l("Par exemple : « près du collège », « bâtiment C ». Pas d'adresse "
                       "personnelle."),
        render_kw={"maxlength": PLACE_MAX},
    )

    def set_fields(self, round_) -> None:
        self.field_id.choices = [(0, _l("— Choisissez —"))] + [
            (f.id, f.label) for f in round_.fields]


def need_fields(form: NeedForm) -> dict:
    """The service's keyword arguments from a need form (shared with staff forms)."""
    return {"title": form.title.data.strip(), "description": form.description.data.strip(),
            "field_id": form.field_id.data, "place": (form.place.data or "").strip()}
