"""Turn the tally's explanation steps (structured codes, see rules/tally.py) into French."""

from flask_babel import gettext as _

from ..i18n import euros


def _name(step: dict, names: dict[str, str]) -> str:
    return names.get(str(step.get("project")), str(step.get("project")))


def explain(step: dict, names: dict[str, str]) -> dict:
    """Return ``{"project", "funded", "text"}`` for one step; unknown codes say so plainly."""
    code = step.get("code")
    name = _name(step, names)
    funded = code in ("funded", "mes_funded")
    if code == "funded":
        text = _("Étape %(step)s : « %(name)s » est financée avec %(votes)s voix ; il reste "
                 "%(left)s.", step=step.get("step"), name=name, votes=step.get("votes"),
                 left=euros(step.get("remaining")))
    elif code == "skipped":
        text = _("« %(name)s » (%(votes)s voix) n'est pas financée : son coût de %(cost)s ne "
                 "tient plus dans ce qui reste (%(left)s).", name=name, votes=step.get("votes"),
                 cost=euros(step.get("cost")), left=euros(step.get("remaining")))
    elif code == "no_votes":
        text = _("« %(name)s » n'a reçu aucune voix : elle n'est pas financée.", name=name)
    elif code == "mes_funded":
        text = _("Étape %(step)s : « %(name)s » est financée ; ses %(supporters)s soutiens "
                 "paient chacun au plus %(share)s.", step=step.get("step"), name=name,
                 supporters=step.get("supporters"), share=euros(step.get("max_payment")))
    elif code == "mes_unaffordable":
        text = _("« %(name)s » n'est pas financée : l'argent restant de ses soutiens "
                 "(%(money)s) ne suffit pas à couvrir son coût de %(cost)s.", name=name,
                 money=euros(step.get("supporters_money")), cost=euros(step.get("cost")))
    else:
        text = _("« %(name)s » : étape %(code)s du calcul.", name=name, code=code)
    return {"project": name, "funded": funded, "text": text}
