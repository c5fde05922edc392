"""Turn the tally's explanation codes (``rules.tally.ExplanationKind``) into French sentences."""

from flask_babel import gettext as _

from ..i18n import euros


def explain(step: dict, names: dict[str, str]) -> dict:
    """Return ``{"project", "funded", "text"}`` for one stored explanation step."""
    code = step["code"]
    name = names.get(step["project"], step["project"])
    if code == "funded" and step.get("share") is not None:
        text = _("Tour %(step)s : « %(name)s » est financée. Chacun de ses %(votes)s soutiens "
                 "paie au plus %(share)s sur sa part égale de l'enveloppe.", step=step["step"],
                 name=name, votes=step["votes"], share=euros(step["share"]))
    elif code == "funded":
        text = _("Rang %(step)s : « %(name)s » (%(score)s voix, %(cost)s) tient dans les "
                 "%(left)s restants : elle est financée.", step=step["step"], name=name,
                 score=step["score"], cost=euros(step["cost"]), left=euros(step["remaining"]))
    elif code == "no_fit":
        text = _("Rang %(step)s : « %(name)s » (%(score)s voix) n'est pas financée : son coût "
                 "de %(cost)s dépasse les %(left)s restants.", step=step["step"], name=name,
                 score=step["score"], cost=euros(step["cost"]), left=euros(step["remaining"]))
    elif code == "insufficient":
        text = _("Tour %(step)s : « %(name)s » n'est pas financée : à ses %(votes)s soutiens, il "
                 "ne restait que %(available)s pour un coût de %(cost)s.", step=step["step"],
                 name=name, votes=step["votes"], available=euros(step["available"]),
                 cost=euros(step["cost"]))
    elif code == "free":
        text = _("« %(name)s » ne coûte rien et a des soutiens : elle est retenue d'emblée.",
                 name=name)
    else:  # no_vote
        text = _("« %(name)s » n'a reçu aucune voix : elle n'est pas financée.", name=name)
    return {"project": name, "funded": code in ("funded", "free"), "text": text}
