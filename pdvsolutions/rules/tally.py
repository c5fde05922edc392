"""Tally rules: greedy and the Method of Equal Shares, with an explanation for each proposal.

Pure functions on plain values: ``costs`` maps proposal ids (strings) to costs in cents;
``ballots`` is a list of ``{proposal id: points}`` (1 point per approval). Arithmetic that decides
the outcome is exact (integers and ``fractions.Fraction``). Ties are broken by the proposal id
string, ascending.

Explanation steps are dicts with a ``code`` (translated by the web layer) and a ``project``:

* ``funded`` (greedy): ``step``, ``votes``, ``cost``, ``remaining`` after funding;
* ``skipped`` (greedy): ``votes``, ``cost``, ``remaining`` (it did not fit);
* ``no_votes``: nobody chose it, never funded;
* ``mes_funded``: ``step``, ``supporters``, ``max_payment`` (cents, rounded up);
* ``mes_unaffordable``: ``supporters_money`` (cents, rounded down), ``cost``.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class Outcome:
    """The selected proposal ids (sorted), the steps, and each proposal's votes or points."""

    selected: list[str]
    steps: list[dict] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)


def scores_of(costs: Mapping[str, int], ballots: Sequence[Mapping[str, int]]) -> dict[str, int]:
    """Total points (approvals) of every proposal."""
    scores = dict.fromkeys(costs, 0)
    for ballot in ballots:
        for pid, points in ballot.items():
            scores[pid] += points
    return scores


def greedy(costs: Mapping[str, int], ballots: Sequence[Mapping[str, int]],
           budget: int) -> Outcome:
    """By score, descending; funded when it still fits what is left, skipped otherwise."""
    scores = scores_of(costs, ballots)
    remaining = budget
    selected: list[str] = []
    steps: list[dict] = []
    for pid in sorted(costs, key=lambda p: (-scores[p], p)):
        if scores[pid] == 0:
            steps.append({"code": "no_votes", "project": pid})
        elif costs[pid] <= remaining:
            remaining -= costs[pid]
            selected.append(pid)
            steps.append({"code": "funded", "project": pid, "step": len(selected),
                          "votes": scores[pid], "cost": costs[pid], "remaining": remaining})
        else:
            steps.append({"code": "skipped", "project": pid, "votes": scores[pid],
                          "cost": costs[pid], "remaining": remaining})
    return Outcome(sorted(selected), steps, scores)


def _rho(cost: int, supporters: list[tuple[Fraction, int]]) -> Fraction | None:
    """Smallest price per unit of utility the supporters can pay, or None if they cannot."""
    if sum(money for money, _u in supporters) < cost:
        return None
    paid = Fraction(0)
    utility_left = sum(u for _m, u in supporters)
    for money, utility in sorted(supporters, key=lambda s: s[0] / s[1]):
        rho = (cost - paid) / utility_left
        if rho * utility <= money:
            return rho
        paid += money
        utility_left -= utility
    return None


def equal_shares(costs: Mapping[str, int], ballots: Sequence[Mapping[str, int]], budget: int,
                 *, cumulative: bool = False) -> Outcome:
    """Method of Equal Shares (Peters & Skowron), without completion.

    Each voter gets ``budget / voters``. Utility: the cost for an approval, the points for a
    cumulative ballot. At each step the proposal whose supporters can pay it at the lowest
    price per unit of utility is funded; a proposal its supporters can no longer pay is dropped.
    """
    scores = scores_of(costs, ballots)
    money = [Fraction(budget, len(ballots)) if ballots else Fraction(0)] * len(ballots)
    utility = [{pid: (points if cumulative else costs[pid]) for pid, points in ballot.items()}
               for ballot in ballots]
    candidates = {pid for pid in costs if scores[pid] > 0}
    steps = [{"code": "no_votes", "project": pid} for pid in sorted(costs) if scores[pid] == 0]
    selected: list[str] = []
    while candidates:
        best: tuple[Fraction, str] | None = None
        for pid in sorted(candidates):
            supporters = [(money[i], u[pid]) for i, u in enumerate(utility) if pid in u]
            rho = _rho(costs[pid], supporters)
            if rho is None:
                candidates.discard(pid)
                steps.append({"code": "mes_unaffordable", "project": pid, "cost": costs[pid],
                              "supporters_money": math.floor(sum(m for m, _u in supporters))})
            elif best is None or rho < best[0]:
                best = (rho, pid)
        if best is None:
            break
        rho, pid = best
        payments = [min(money[i], rho * u[pid]) for i, u in enumerate(utility) if pid in u]
        for i, u in enumerate(utility):
            if pid in u:
                money[i] -= min(money[i], rho * u[pid])
        candidates.discard(pid)
        selected.append(pid)
        steps.append({"code": "mes_funded", "project": pid, "step": len(selected),
                      "supporters": len(payments), "max_payment": math.ceil(max(payments))})
    return Outcome(sorted(selected), steps, scores)


def run(rule: str, costs: Mapping[str, int], ballots: Sequence[Mapping[str, int]], budget: int,
        *, cumulative: bool = False) -> Outcome:
    """Apply ``rule`` (``greedy`` or ``equal_shares``)."""
    if rule == "equal_shares":
        return equal_shares(costs, ballots, budget, cumulative=cumulative)
    if rule == "greedy":
        return greedy(costs, ballots, budget)
    raise ValueError(f"unknown rule {rule!r}")
