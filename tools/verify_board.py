#!/usr/bin/env python3
"""Vérificateur autonome du tableau public d'un vote (bibliothèque standard seulement).

Stand-alone verifier of a vote's public bulletin board (Python standard library only).

    python tools/verify_board.py board.json [--receipt TRACKER ...] [--lang fr|en]

Checks: (1) every tracker is sha256(content + nonce); (2) the hash chain is unbroken
(prev of the first ballot is "0" * 64, hash = sha256(prev + tracker + content)) and ends at the
published head; (3) ballots are chained in ascending tracker order (so the order of the board
says nothing about the order of arrival); (4) the number of ballots equals the number of
sign-ins; (5) the result recomputed from the ballots with the board's rule, including the
completion of equal shares, equals the published one; (6) every given receipt is on the board.
content is the ballot's choices as JSON with sorted keys and no spaces, e.g. {"17":1,"23":1}.
Exit code 0 when every check passes, 1 otherwise.

The rules, as the platform applies them (shared/pabulib/README.md):
* greedy: most points first (ties: project id as text, ascending); a project is funded when it
  still fits in what is left; a project nobody voted for is never funded.
* equal-shares: the Method of Equal Shares; each voter holds budget / voters; utility = cost
  for approval ballots, points for cumulative ones; at each round the project whose supporters
  pay the lowest price per unit of utility is funded (ties: id as text). Completion "add1": while
  not every supported project fits the budget together, raise every voter's share by
  completion_step_cents at a time, for as long as the outcome still fits the budget, and keep
  the last outcome that fits. "add1-comparison": then keep greedy instead only if strictly more
  voters have more of their chosen projects funded by greedy than by equal shares.
"""

import argparse
import hashlib
import json
import sys
from collections import Counter
from fractions import Fraction

MESSAGES = {
    "fr": {
        "trackers": "Reçus (trackers) recalculés",
        "chain": "Chaîne de hachage intacte",
        "head": "La chaîne se termine par l'empreinte publiée",
        "order": "Bulletins rangés par reçu croissant (ordre sans lien avec l'arrivée)",
        "count": "Nombre de bulletins ({ballots}) = nombre d'émargements ({signins})",
        "result": "Résultat recalculé ({rule}) : {selected}",
        "published": "résultat publié : {selected}",
        "unpublished": "Résultat recalculé ({rule}) : {selected} ; pas encore de résultat publié",
        "completion": "Complément {method} : part de chaque votant portée de {before} à {after} "
        "({steps} pas)",
        "completion_skipped": "Complément {method} inutile : toutes les propositions soutenues "
        "tiennent ensemble dans l'enveloppe",
        "comparison": "Comparaison avec le glouton : {mes} votants préfèrent les parts égales, "
        "{greedy} le glouton ; retenu : {kept}",
        "receipt": "Reçu {tracker} présent sur le tableau",
        "bad_positions": "bulletins en cause : {positions}",
        "greedy": "glouton",
        "equal-shares": "parts égales",
        "ok": "OK",
        "fail": "ÉCHEC",
        "info": "INFO",
        "summary_ok": "Toutes les vérifications sont réussies.",
        "summary_fail": "Au moins une vérification a échoué.",
    },
    "en": {
        "trackers": "Receipts (trackers) recomputed",
        "chain": "Hash chain unbroken",
        "head": "The chain ends at the published head",
        "order": "Ballots in ascending receipt order (no link with the order of arrival)",
        "count": "Number of ballots ({ballots}) = number of sign-ins ({signins})",
        "result": "Result recomputed ({rule}): {selected}",
        "published": "published result: {selected}",
        "unpublished": "Result recomputed ({rule}): {selected}; no published result yet",
        "completion": "Completion {method}: each voter's share raised from {before} to {after} "
        "({steps} steps)",
        "completion_skipped": "Completion {method} not needed: every supported project fits "
        "in the budget together",
        "comparison": "Comparison with greedy: {mes} voters prefer equal shares, {greedy} "
        "prefer greedy; kept: {kept}",
        "receipt": "Receipt {tracker} is on the board",
        "bad_positions": "ballots concerned: {positions}",
        "greedy": "greedy",
        "equal-shares": "equal shares",
        "ok": "OK",
        "fail": "FAILED",
        "info": "INFO",
        "summary_ok": "All checks passed.",
        "summary_fail": "At least one check failed.",
    },
}


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_of(choices):
    """Canonical JSON of a ballot's choices (string ids, sorted keys, no spaces, no zeros)."""
    kept = {str(pid): points for pid, points in choices.items() if points}
    return json.dumps(kept, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def greedy(costs, budget, ballots):
    """Most points first (ties: id as text); fund what still fits; never a project with none."""
    score = {pid: 0 for pid in costs}
    for ballot in ballots:
        for pid, points in ballot.items():
            score[pid] += points
    left, selected = budget, []
    for pid in sorted(costs, key=lambda p: (-score[p], p)):
        if score[pid] > 0 and costs[pid] <= left:
            selected.append(pid)
            left -= costs[pid]
    return selected


def _supporters(costs, ballots, approval):
    """Identical ballots grouped: per project, its (group, utility, voters) entries."""
    groups = Counter(tuple(sorted((p, v) for p, v in b.items() if v)) for b in ballots)
    supporters = {pid: [] for pid in costs}
    for g, (ballot, voters) in enumerate(groups.items()):
        for pid, points in ballot:
            utility = costs[pid] if approval else points
            if utility > 0:
                supporters[pid].append((g, utility, voters))
    return supporters, len(groups)


def _price(cost, entries, money):
    """Smallest rho with sum(voters * min(money, rho * utility)) == cost."""
    if len({u for _, u, _ in entries}) == 1:  # one utility (approval): order by money alone
        ordered = sorted(entries, key=lambda e: money[e[0]])
    else:
        ordered = sorted(entries, key=lambda e: money[e[0]] / e[1])
    paid, weight = 0, sum(u * n for _, u, n in ordered)
    for g, u, n in ordered:
        rho = Fraction(cost - paid) / weight
        if rho * u <= money[g]:
            return rho
        paid += money[g] * n
        weight -= u * n
    raise AssertionError("an affordable project always has a price")


def mes_run(costs, supporters, n_groups, share):
    """One run of the Method of Equal Shares where every voter starts with ``share``.

    A project's price only rises as money is spent, so last round's price is a lower bound:
    projects are looked at cheapest bound first, and the look stops at a bound above the best.
    The bound is the exact price while none of the project's supporters has paid since.
    """
    money = [Fraction(share)] * n_groups
    selected = [p for p in sorted(costs) if costs[p] == 0 and supporters[p]]
    bound = {
        p: Fraction(costs[p], sum(u * n for _, u, n in supporters[p]))
        for p in costs
        if costs[p] > 0 and supporters[p]
    }
    groups_of = {p: {g for g, _, _ in supporters[p]} for p in bound}
    exact = set()  # projects whose bound is their price with the money as it is now
    while bound:
        best = None
        for pid in sorted(bound, key=lambda q: (bound[q], q)):
            if best is not None and bound[pid] > best[0]:
                break
            if pid not in exact:
                entries = supporters[pid]
                if sum(money[g] * n for g, _, n in entries) < costs[pid]:
                    del bound[pid]  # its supporters' money only goes down: never affordable
                    continue
                bound[pid] = _price(costs[pid], entries, money)
                exact.add(pid)
            if best is None or (bound[pid], pid) < best:
                best = (bound[pid], pid)
        if best is None:
            break
        rho, pid = best
        for g, u, _ in supporters[pid]:
            money[g] -= min(money[g], rho * u)
        selected.append(pid)
        del bound[pid]
        paid = groups_of[pid]
        exact = {q for q in exact if q in bound and not groups_of[q] & paid}
    return selected


def equal_shares(costs, budget, ballots, approval, completion="none", step=100):
    """Equal shares with its completion; returns (selected, report of the completion)."""
    if not ballots:
        return [], None
    supporters, n_groups = _supporters(costs, ballots, approval)
    base = Fraction(budget, len(ballots))
    if completion == "none":
        return mes_run(costs, supporters, n_groups, base), None
    supported = sum(costs[p] for p in costs if costs[p] > 0 and supporters[p])
    report = {"method": completion, "before": base, "after": base, "steps": 0}
    if supported <= budget:  # Add1 would never stop: not applied (as equalshares.net)
        report["applied"] = False
        selected = mes_run(costs, supporters, n_groups, base)
    else:
        report["applied"] = True
        kept, k = 0, 1
        while sum(costs[p] for p in mes_run(costs, supporters, n_groups, base + k * step)) \
                <= budget:
            kept, k = k, k + 1
        report.update(after=base + kept * step, steps=kept)
        selected = mes_run(costs, supporters, n_groups, base + kept * step)
    if completion == "add1-comparison":
        by_greedy = greedy(costs, budget, ballots)
        in_mes, in_greedy = set(selected), set(by_greedy)
        prefer_mes = prefer_greedy = 0
        for ballot in ballots:
            chosen = [p for p, v in ballot.items() if v]
            a = sum(p in in_mes for p in chosen)
            b = sum(p in in_greedy for p in chosen)
            prefer_mes += a > b
            prefer_greedy += b > a
        report.update(prefer_mes=prefer_mes, prefer_greedy=prefer_greedy)
        if prefer_greedy > prefer_mes:
            return by_greedy, report
    return selected, report


def _euros(cents, lang):
    """Cents as euros rounded down to the cent, with the language's decimal mark."""
    whole = int(cents)  # int() of a positive Fraction rounds down
    text = f"{whole // 100}.{whole % 100:02d} €"
    return text.replace(".", ",") if lang == "fr" else text


def verify(board, receipts, lang="fr"):
    """Run every check; return (all passed, report lines)."""
    text = MESSAGES[lang]
    lines, passed = [], True

    def report(ok, label, detail=None):
        nonlocal passed
        passed = passed and ok
        lines.append(f"[{text['ok'] if ok else text['fail']}] {label}")
        if detail and not ok:
            lines.append(f"    {detail}")

    ballots = board["ballots"]
    bad_trackers, bad_chain, bad_order, prev, last = [], [], [], "0" * 64, ""
    for position, ballot in enumerate(ballots, start=1):
        content = content_of(ballot["choices"])
        if ballot["tracker"] != sha256(content + ballot["nonce"]):
            bad_trackers.append(position)
        link = sha256(prev + ballot["tracker"] + content)
        if ballot["position"] != position or ballot["prev"] != prev or ballot["hash"] != link:
            bad_chain.append(position)
        if ballot["tracker"] <= last:
            bad_order.append(position)
        prev, last = ballot["hash"], ballot["tracker"]
    report(not bad_trackers, text["trackers"], text["bad_positions"].format(positions=bad_trackers))
    report(not bad_chain, text["chain"], text["bad_positions"].format(positions=bad_chain))
    if "head" in board:
        report(board["head"] == prev, text["head"])
    report(not bad_order, text["order"], text["bad_positions"].format(positions=bad_order))
    report(
        len(ballots) == board["signins"],
        text["count"].format(ballots=len(ballots), signins=board["signins"]),
    )

    costs = {str(p["id"]): p["cost_cents"] for p in board["projects"]}
    choices = [{str(pid): pts for pid, pts in b["choices"].items()} for b in ballots]
    settings = board["round"]
    rule, budget = settings["rule"], settings["budget_cents"]
    if rule == "greedy":
        computed, details = greedy(costs, budget, choices), None
    else:
        computed, details = equal_shares(
            costs, budget, choices, settings["ballot_type"] == "approval",
            settings.get("completion", "none"), settings.get("completion_step_cents", 100))
    if details is not None:
        method = details["method"]
        if details["applied"]:
            lines.append(f"[{text['info']}] " + text["completion"].format(
                method=method, before=_euros(details["before"], lang),
                after=_euros(details["after"], lang), steps=details["steps"]))
        else:
            lines.append(f"[{text['info']}] " + text["completion_skipped"].format(method=method))
        if "prefer_mes" in details:
            switched = details["prefer_greedy"] > details["prefer_mes"]
            kept = text["greedy"] if switched else text["equal-shares"]
            lines.append(f"[{text['info']}] " + text["comparison"].format(
                mes=details["prefer_mes"], greedy=details["prefer_greedy"], kept=kept))
    shown = ", ".join(sorted(computed)) or "-"
    if board["result"] is None:
        lines.append(f"[{text['info']}] " + text["unpublished"].format(rule=rule, selected=shown))
    else:
        published = sorted(str(p) for p in board["result"]["selected"])
        report(
            sorted(computed) == published
            and board["result"]["rule"] == rule
            and board["result"].get("completion", "none") == settings.get("completion", "none"),
            text["result"].format(rule=rule, selected=shown),
            text["published"].format(selected=", ".join(published) or "-"),
        )

    on_board = {b["tracker"] for b in ballots}
    for receipt in receipts:
        report(receipt.strip().lower() in on_board, text["receipt"].format(tracker=receipt))
    lines.append(text["summary_ok"] if passed else text["summary_fail"])
    return passed, lines


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Vérifie un tableau public de vote / verifies a vote board."
    )
    parser.add_argument("board", help="board.json")
    parser.add_argument("--receipt", action="append", default=[], help="tracker à rechercher")
    parser.add_argument("--lang", choices=sorted(MESSAGES), default="fr")
    args = parser.parse_args(argv)
    try:
        with open(args.board, encoding="utf-8") as handle:
            board = json.load(handle)
        passed, lines = verify(board, args.receipt, args.lang)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        unreadable = {
            "fr": "Tableau illisible ou incomplet",
            "en": "Unreadable or incomplete board",
        }
        print(f"[{MESSAGES[args.lang]['fail']}] {unreadable[args.lang]}: {exc!r}")
        return 1
    print("\n".join(lines))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
