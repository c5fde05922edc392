#!/usr/bin/env python3
"""Vérificateur autonome du tableau public d'un vote (bibliothèque standard seulement).

Stand-alone verifier of a vote's public bulletin board (Python standard library only).

    python tools/verify_board.py board.json [--receipt TRACKER ...] [--lang fr|en]

Checks: (1) every tracker is sha256(content + nonce); (2) the hash chain is unbroken
(prev of the first ballot is "0" * 64, hash = sha256(prev + tracker + content)); (3) the number
of ballots equals the number of sign-ins; (4) the result recomputed from the ballots with the
board's rule equals the published one; (5) every given receipt is on the board.
content is the ballot's choices as JSON with sorted keys and no spaces, e.g. {"17":1,"23":1}.
Exit code 0 when every check passes, 1 otherwise.
"""

import argparse
import hashlib
import json
import sys
from fractions import Fraction

MESSAGES = {
    "fr": {
        "trackers": "Reçus (trackers) recalculés",
        "chain": "Chaîne de hachage intacte",
        "count": "Nombre de bulletins ({ballots}) = nombre d'émargements ({signins})",
        "result": "Résultat recalculé ({rule}) : {selected}",
        "published": "résultat publié : {selected}",
        "receipt": "Reçu {tracker} présent sur le tableau",
        "bad_positions": "bulletins en cause : {positions}",
        "ok": "OK",
        "fail": "ÉCHEC",
        "summary_ok": "Toutes les vérifications sont réussies.",
        "summary_fail": "Au moins une vérification a échoué.",
    },
    "en": {
        "trackers": "Receipts (trackers) recomputed",
        "chain": "Hash chain unbroken",
        "count": "Number of ballots ({ballots}) = number of sign-ins ({signins})",
        "result": "Result recomputed ({rule}): {selected}",
        "published": "published result: {selected}",
        "receipt": "Receipt {tracker} is on the board",
        "bad_positions": "ballots concerned: {positions}",
        "ok": "OK",
        "fail": "FAILED",
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


def equal_shares(costs, budget, ballots, approval):
    """Method of Equal Shares, no completion. Utility: the cost (approval) or the points."""
    money = [Fraction(budget, len(ballots))] * len(ballots) if ballots else []
    utility = [
        {pid: (costs[pid] if approval else pts) for pid, pts in b.items() if pts} for b in ballots
    ]
    remaining = {p for p in costs if costs[p] > 0 and any(p in u for u in utility)}
    selected = [p for p in costs if costs[p] == 0 and any(p in u for u in utility)]
    while True:
        best = None  # (price per unit of utility, project id)
        for pid in sorted(remaining):
            supporters = [i for i, u in enumerate(utility) if pid in u]
            if sum(money[i] for i in supporters) < costs[pid]:
                continue
            # smallest rho with sum(min(money, rho * utility)) == cost
            supporters.sort(key=lambda i: money[i] / utility[i][pid])
            paid, weight = Fraction(0), sum(utility[i][pid] for i in supporters)
            for i in supporters:
                rho = (costs[pid] - paid) / weight
                if rho * utility[i][pid] <= money[i]:
                    break
                paid += money[i]
                weight -= utility[i][pid]
            if best is None or rho < best[0]:
                best = (rho, pid)
        if best is None:
            return selected
        rho, pid = best
        for i, u in enumerate(utility):
            if pid in u:
                money[i] -= min(money[i], rho * u[pid])
        selected.append(pid)
        remaining.discard(pid)


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
    bad_trackers, bad_chain, prev = [], [], "0" * 64
    for position, ballot in enumerate(ballots, start=1):
        content = content_of(ballot["choices"])
        if ballot["tracker"] != sha256(content + ballot["nonce"]):
            bad_trackers.append(position)
        link = sha256(prev + ballot["tracker"] + content)
        if ballot["position"] != position or ballot["prev"] != prev or ballot["hash"] != link:
            bad_chain.append(position)
        prev = ballot["hash"]
    report(not bad_trackers, text["trackers"], text["bad_positions"].format(positions=bad_trackers))
    report(not bad_chain, text["chain"], text["bad_positions"].format(positions=bad_chain))
    report(
        len(ballots) == board["signins"],
        text["count"].format(ballots=len(ballots), signins=board["signins"]),
    )

    costs = {str(p["id"]): p["cost_cents"] for p in board["projects"]}
    choices = [{str(pid): pts for pid, pts in b["choices"].items()} for b in ballots]
    rule = board["round"]["rule"]
    budget = board["round"]["budget_cents"]
    if rule == "greedy":
        computed = greedy(costs, budget, choices)
    else:
        approval = board["round"]["ballot_type"] == "approval"
        computed = equal_shares(costs, budget, choices, approval)
    published = sorted(str(p) for p in board["result"]["selected"])
    report(
        sorted(computed) == published and board["result"]["rule"] == rule,
        text["result"].format(rule=rule, selected=", ".join(sorted(computed)) or "-"),
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
