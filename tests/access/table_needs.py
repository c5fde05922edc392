"""Access table of the needs area: public round pages, residents' needs, staff rounds and needs."""

from pdvsolutions.models import NeedStatus
from pdvsolutions.rules.phases import Phase

from .. import factories_needs
from .matrix import Case

STAFF = frozenset({"staff"})
#: Residents of the round's territory; the resident of the other territory gets 403.
HOME = frozenset({"resident"})
OTHER_TERRITORY = {"resident_other": 403}


def extend_world(world) -> None:
    round_ = factories_needs.make_round(Phase.NEEDS)
    world["round"] = round_
    world["need"] = factories_needs.make_need(round_, world.users["resident"])
    world["other_need"] = factories_needs.make_need(round_, world.users["staff"],
                                                    title="Un doublon")
    factories_needs.support(world["other_need"], world.users["resident"])
    world["call_round"] = factories_needs.make_round(Phase.CALL, title="Appel ouvert")
    factories_needs.make_need(world["call_round"], world.users["resident"],
                              status=NeedStatus.RETAINED)
    world["draft"] = factories_needs.make_round(Phase.DRAFT, title="Brouillon")


def _round(w):
    return w["round"].id


def _need(w):
    return w["need"].id


def _need_data(w):
    return {"title": "Des cours de soutien", "description": "Pour les collégiens.",
            "field_id": str(w["round"].fields[0].id), "place": ""}


CASES = [
    Case("public.round_list", "/appels"),
    Case("public.round_detail", lambda w: f"/appels/{_round(w)}"),
    # A draft round is not public; staff see it.
    Case("public.round_detail", lambda w: f"/appels/{w['draft'].id}", allowed=STAFF,
         denied=404, anonymous=404),
    Case("public.need_list", lambda w: f"/appels/{_round(w)}/solutions?tri=recent"),
    Case("public.need_detail", lambda w: f"/solutions/{_need(w)}"),
    Case("public.call_detail", lambda w: f"/appels/{w['call_round'].id}/appel"),
    # The call does not exist before the call phase.
    Case("public.call_detail", lambda w: f"/appels/{_round(w)}/appel", ok=404),
    Case("public.call_print", lambda w: f"/appels/{w['call_round'].id}/appel/imprimer"),
    Case("public.round_calendar", lambda w: f"/appels/{_round(w)}/calendrier.ics"),
    Case("residents.need_new", lambda w: f"/habitants/appels/{_round(w)}/solutions/nouvelle",
         allowed=HOME,
         overrides=OTHER_TERRITORY),
    Case("residents.need_new", lambda w: f"/habitants/appels/{_round(w)}/solutions/nouvelle",
         method="POST", allowed=HOME, ok=302, overrides=OTHER_TERRITORY, data=_need_data),
    # Only the author edits a need: every other persona is refused.
    Case("residents.need_edit", lambda w: f"/habitants/solutions/{_need(w)}/modifier",
         allowed=frozenset(), overrides={"resident": 200}),
    Case("residents.support_add", lambda w: f"/habitants/solutions/{_need(w)}/soutien",
         method="POST", allowed=HOME, ok=302, overrides=OTHER_TERRITORY),
    Case("residents.support_remove",
         lambda w: f"/habitants/solutions/{w['other_need'].id}/soutien/retrait",
         method="POST", allowed=HOME, ok=302, overrides=OTHER_TERRITORY),
    Case("residents.need_mine", "/habitants/mes-solutions", allowed={"resident", "resident_other"}),
    Case("staff.round_list", "/agents/appels", allowed=STAFF),
    Case("staff.round_new", "/agents/appels/nouveau", allowed=STAFF),
    Case("staff.round_edit", lambda w: f"/agents/appels/{w['draft'].id}/modifier", allowed=STAFF),
    Case("staff.round_manage", lambda w: f"/agents/appels/{_round(w)}", allowed=STAFF),
    Case("staff.round_phase", lambda w: f"/agents/appels/{w['draft'].id}/phase", allowed=STAFF),
    Case("staff.round_phase", lambda w: f"/agents/appels/{w['draft'].id}/phase", method="POST",
         allowed=STAFF, ok=302, data={"target": "needs"}),
    Case("staff.need_moderation", lambda w: f"/agents/appels/{_round(w)}/solutions",
         allowed=STAFF),
    Case("staff.need_assisted_new", lambda w: f"/agents/appels/{_round(w)}/solutions/saisie",
         allowed=STAFF),
    Case("staff.need_manage", lambda w: f"/agents/solutions/{_need(w)}", allowed=STAFF),
    Case("staff.need_moderate_edit", lambda w: f"/agents/solutions/{_need(w)}/modifier",
         method="POST", allowed=STAFF, ok=302,
         data=lambda w: {f"edit-{k}": v for k, v in _need_data(w).items()}),
    Case("staff.need_hide", lambda w: f"/agents/solutions/{_need(w)}/masquer", method="POST",
         allowed=STAFF, ok=302, data={"hide-reason": "Propos hors sujet"}),
    Case("staff.need_merge", lambda w: f"/agents/solutions/{_need(w)}/fusionner",
         method="POST", allowed=STAFF, ok=302,
         data=lambda w: {"merge-kept_id": str(w["other_need"].id)}),
    Case("staff.need_retain", lambda w: f"/agents/solutions/{_need(w)}/retenir", method="POST",
         allowed=STAFF, ok=302, data={"retain-call_title": ""}),
]
