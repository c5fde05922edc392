"""Turn the tally's explanation codes (``rules.tally.ExplanationKind``) into French sentences."""

from flask_babel import format_number
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


def explain_completion(info: dict | None, voters: int, share_cents: int) -> list[str]:
    """Paragraphs on how equal shares spent its envelope: the shares and the completion.

    ``info`` is ``RoundResult.completion_info`` (None: computed without completion);
    ``share_cents`` is the envelope divided by the number of ballots.
    """
    if info is None:
        return [_("Méthode des parts égales sans complément : chacun des %(voters)d votants "
                  "disposait de %(share)s (l'enveloppe divisée par le nombre de bulletins). Une "
                  "partie de l'enveloppe peut rester inutilisée.", voters=voters,
                  share=euros(share_cents))]
    texts = []
    if info["applied"]:
        texts.append(_(
            "Complément « Add1 », celui des villes qui utilisent cette méthode : les parts "
            "égales laissent souvent une partie de l'enveloppe inutilisée. Le calcul a donc été "
            "refait en augmentant la part de chaque votant d'un euro à la fois, tant que les "
            "propositions retenues tiennent dans l'enveloppe réelle. La part de chacun des "
            "%(voters)d votants est passée de %(before)s à %(after)s (%(steps)s euros de plus) ; "
            "les étapes ci-dessous sont celles du dernier calcul qui tient dans l'enveloppe.",
            voters=voters, before=euros(info["share_before_cents"]),
            after=euros(info["share_after_cents"]), steps=format_number(info["increments"])))
    else:
        texts.append(_(
            "Complément « Add1 » non appliqué : toutes les propositions qui ont reçu au moins "
            "une voix tiennent ensemble dans l'enveloppe. Chacun des %(voters)d votants "
            "disposait de %(share)s (l'enveloppe divisée par le nombre de bulletins).",
            voters=voters, share=euros(info["share_before_cents"])))
    if info.get("prefer_mes") is not None:
        texts.append(_(
            "Comparaison avec le vote par nombre de voix : %(mes)d votants ont davantage de "
            "leurs propositions financées avec les parts égales, %(greedy)d avec le vote par "
            "nombre de voix. Le vote par nombre de voix ne l'emporte que si strictement plus de "
            "votants le préfèrent.", mes=info["prefer_mes"], greedy=info["prefer_greedy"]))
        if info["switched_to_greedy"]:
            texts.append(_("Le résultat du vote par nombre de voix est donc retenu : les étapes "
                           "ci-dessous sont les siennes."))
        else:
            texts.append(_("Le résultat des parts égales est donc conservé."))
    return texts
