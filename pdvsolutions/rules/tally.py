"""Pure tally rules for participatory budgets: greedy and the Method of Equal Shares.

Both rules reproduce pabutools 1.2.3 (see shared/pabulib/README.md):

* ``greedy``: projects ranked by score (approvals for approval/choose-1 ballots, points for
  cumulative ballots, positional points n, n-1, ..., 1 for ordinal ballots), descending; a
  project is funded when it still fits in what is left of the budget, skipped otherwise; a
  project nobody voted for is never funded.
* ``equal_shares``: the Method of Equal Shares (Peters & Skowron) with utilities = cost for
  approval/choose-1 ballots (pabutools' ``Cost_Sat``), points for cumulative ballots, positional
  points for ordinal ballots; completion ``none``, ``add1`` or ``add1-comparison``.

Ties are always broken by the project id compared as a string, ascending ("10" < "9"), which is
pabutools' ``lexico_tie_breaking``. Every amount that decides the outcome is an exact ``int`` or
``Fraction``. Floats only guide the search: a float comparison is trusted when its two sides
are far apart compared with the float error (relative 1e-9, plus 1e-9 of the per-voter budget
in absolute terms, while the real error is below 1e-13); anything closer is decided exactly.

Speed: identical ballots are grouped (a multiprofile), and Equal Shares works on *budget
classes*: voters with the same money left are interchangeable, so each project's supporters
collapse into a few (class, utility) entries, whose per-project counts are cached and updated
from a log of the ballots that moved. Exact money of a class is computed only when needed.
Add1 does not step one currency unit at a time: a *tracked* run at ``b + epsilon`` treats the
money as linear functions of the per-voter budget ``b`` and returns the next budget at which a
decision could change (a payer of a funded project becoming capped or not, a loser becoming
cheaper than the winner, a project becoming affordable); every whole step before that budget
has the same outcome, so the search jumps straight past them. Where the outcome changes at
almost every step, plain runs are cheaper, and the search alternates; the choice uses the
measured run times, which affects only the speed (and ``CompletionInfo.runs``), never the
outcome.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from itertools import chain, compress, count, repeat
from operator import itemgetter, methodcaller, mul
from typing import Literal, Union

__all__ = [
    "Ballot",
    "Completion",
    "CompletionInfo",
    "Explanation",
    "ExplanationKind",
    "Number",
    "Project",
    "TallyInput",
    "TallyResult",
    "VoteType",
    "equal_shares",
    "greedy",
    "ordinal_points",
    "scores",
]

Number = Union[int, Fraction]  # noqa: UP007 - readable alias, also used at runtime
Ballot = dict[str, Number]
VoteType = Literal["approval", "cumulative", "ordinal", "choose-1"]
Completion = Literal["none", "add1", "add1-comparison"]


@dataclass(frozen=True)
class Project:
    """A project that can be funded: a string id and an exact cost."""

    id: str
    cost: Number


@dataclass
class TallyInput:
    """Everything a rule needs: projects, budget, ballots {project id: points}, vote type.

    Approval and choose-1 ballots give 1 point to each chosen project; cumulative ballots give
    their points; ordinal ballots give positional points (see ``ordinal_points``).

    ``ballots`` may be any iterable: a list (fastest when it holds plain dicts), or a one-shot
    iterator that streams them (for instance from a database cursor), which one rule call
    reads once, so that millions of ballots never sit in memory together.
    """

    projects: Sequence[Project]
    budget: Number
    ballots: Iterable[Mapping[str, Number]]
    vote_type: VoteType = "approval"


class ExplanationKind(StrEnum):
    """Why a project was or was not funded; the web layer turns codes into sentences."""

    FUNDED = "funded"  # greedy: funded at `step`; MES: funded at round `step`
    NO_FIT = "no_fit"  # greedy: skipped, `remaining` < `cost`
    NO_VOTE = "no_vote"  # nobody voted for it (never funded)
    INSUFFICIENT = "insufficient"  # MES: its supporters' money left (`available`) < `cost`
    FREE = "free"  # MES: cost 0 with support, funded before the first round (as pabutools)


@dataclass(frozen=True)
class Explanation:
    """Structured reason for one project's outcome (numbers exact, no sentence)."""

    project_id: str
    kind: ExplanationKind
    #: greedy: position in the ranking (1-based); MES: round in which it was funded or
    #: found unaffordable (1-based); None for NO_VOTE.
    step: int | None
    cost: Number
    #: number of voters whose ballot contains the project
    votes: int
    #: greedy ranking score: approvals, points or positional points
    score: Number
    #: greedy: budget left when the project was considered
    remaining: Number | None = None
    #: MES: price per unit of utility paid by each supporter who could afford it
    rho: Fraction | None = None
    #: MES: the largest payment of one voter (approval: the equal share rho x cost)
    share: Fraction | None = None
    #: MES: supporters who could not pay the full share and gave all the money they had left
    paying_all_left: int | None = None
    #: MES INSUFFICIENT: money its supporters had left in total
    available: Fraction | None = None


@dataclass(frozen=True)
class CompletionInfo:
    """What the completion step of Equal Shares did."""

    method: Completion
    #: Add1 applied at all (False when every supported project fits in the budget together)
    applied: bool = False
    #: per-voter budget of the run whose outcome was kept (budget / voters when not raised)
    voter_budget: Fraction | None = None
    #: number of whole currency units added to each voter's share
    increments: int = 0
    #: number of MES runs made by the Add1 search (parametric and exact)
    runs: int = 0
    #: add1-comparison: voters preferring each outcome (by number of their projects funded)
    prefer_mes: int | None = None
    prefer_greedy: int | None = None
    switched_to_greedy: bool = False


@dataclass
class TallyResult:
    """Outcome of a rule: selected ids (in selection order), money and per-project reasons."""

    rule: str
    selected: list[str]
    cost: Number
    budget: Number
    remaining: Number
    explanations: dict[str, Explanation] = field(default_factory=dict)
    completion: CompletionInfo | None = None


def ordinal_points(ranking: Sequence[str]) -> Ballot:
    """Positional points of a ranking: n, n-1, ..., 1 for a ballot ranking n projects."""
    n = len(ranking)
    return {pid: n - pos for pos, pid in enumerate(ranking)}


# --------------------------------------------------------------------------- preparation


@dataclass
class _Prepared:
    """Grouped ballots, shared by all the runs of one tally.

    ``groups`` need not be maximal: two equal ballots whose ids came in a different order may
    stay apart; they then behave identically in every rule, so only the speed is affected.
    """

    data: TallyInput
    ids: list[str]
    costs: list[Number]
    n_voters: int
    #: distinct ballots: indices of the projects given points > 0
    groups: list[tuple[int, ...]]
    #: their points, aligned with ``groups``; None when every point is 1
    points: list[tuple[Number, ...]] | None
    mults: list[int]  # ballots of each group
    votes: list[int]  # voters supporting each project
    scores: list[Number]  # total points of each project


_ITEMS = methodcaller("items")


def _project_index(data: TallyInput) -> tuple[list[str], dict[str, int]]:
    ids = [p.id for p in data.projects]
    index = {pid: i for i, pid in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError("duplicate project id")
    return ids, index


def _unknown(exc: KeyError) -> ValueError:
    return ValueError(f"ballot names unknown project {exc.args[0]!r}")


def _counted(ballots: Iterable[Mapping[str, Number]]) -> tuple[Iterator, Callable[[], int]]:
    """The ballots, and a function giving how many were read (works on one-shot iterators)."""
    if isinstance(ballots, Sized):
        size = len(ballots)
        return iter(ballots), lambda: size
    counter = count()
    # zip reuses its result tuple once itemgetter has taken the ballot: no allocation per ballot
    stream = map(itemgetter(0), zip(ballots, counter, strict=False))
    return stream, lambda: next(counter)


def _prepare(data: TallyInput) -> _Prepared:
    """Check the input and group identical ballots (hashing done in C, once per ballot).

    A list of plain dicts whose points are all 1 (approval) is grouped on the tuple of its keys
    alone; otherwise on the tuple of its items. Only the distinct ballots are then normalised
    (project ids to indices, zero points dropped, negative points refused) in Python.
    """
    ids, index = _project_index(data)
    ballots = data.ballots
    raw: Counter[tuple] | None = None
    keys_only = False
    n_voters = 0
    if isinstance(ballots, Sequence):
        n_voters = len(ballots)
        try:
            if data.vote_type in ("approval", "choose-1") and set(
                chain.from_iterable(map(dict.values, ballots))
            ) <= {1}:
                raw, keys_only = Counter(map(tuple, ballots)), True
            else:
                raw = Counter(map(tuple, map(dict.items, ballots)))
        except TypeError:  # not plain dicts: the generic path below
            raw = None
    if raw is None:
        stream, read = _counted(ballots)
        raw = Counter(map(tuple, map(_ITEMS, stream)))
        n_voters = read()
    keys = list(raw)
    mults = list(raw.values())
    points: list[tuple[Number, ...]] | None = None
    if keys_only:
        try:
            groups = list(map(tuple, map(sorted, map(map, repeat(index.__getitem__), keys))))
        except KeyError as exc:
            raise _unknown(exc) from None
        if len(set(groups)) < len(groups):  # equal ballots whose ids came in another order
            merged: dict[tuple[int, ...], int] = {}
            for g, m in zip(groups, mults, strict=True):
                merged[g] = merged.get(g, 0) + m
            groups, mults = list(merged), list(merged.values())
    else:
        groups, points, mults = _normalise(keys, mults, index)
    votes, scores = _counts(len(ids), groups, points, mults)
    return _Prepared(
        data, ids, [p.cost for p in data.projects], n_voters, groups, points, mults, votes, scores
    )


def _normalise(
    keys: list[tuple[tuple[str, Number], ...]], mults: list[int], index: dict[str, int]
) -> tuple[list[tuple[int, ...]], list[tuple[Number, ...]] | None, list[int]]:
    """Distinct raw ballots (item tuples) to sorted project indices with positive points."""
    merged: dict[tuple[tuple[int, Number], ...], int] = {}
    all_ones = True
    for items, m in zip(keys, mults, strict=True):
        pairs: list[tuple[int, Number]] = []
        for pid, x in items:
            try:
                p = index[pid]
            except KeyError as exc:
                raise _unknown(exc) from None
            if x:
                if x < 0:
                    raise ValueError("negative points")
                if x != 1:
                    all_ones = False
                pairs.append((p, x))
        pairs.sort()
        key = tuple(pairs)
        merged[key] = merged.get(key, 0) + m
    groups = [tuple(p for p, _ in key) for key in merged]
    points = None if all_ones else [tuple(x for _, x in key) for key in merged]
    return groups, points, list(merged.values())


def _counts(
    n_projects: int,
    groups: list[tuple[int, ...]],
    points: list[tuple[Number, ...]] | None,
    mults: list[int],
) -> tuple[list[int], list[Number]]:
    """Voters supporting each project, and its total points."""
    votes = [0] * n_projects
    if points is None:
        # groups of one ballot (most of them in big approval votes) are counted in C
        single = Counter(chain.from_iterable(compress(groups, map((1).__eq__, mults))))
        for p, n in single.items():
            votes[p] = n
        for g, m in zip(groups, mults, strict=True):
            if m != 1:
                for p in g:
                    votes[p] += m
        return votes, list(votes)
    scores: list[Number] = [0] * n_projects
    for g, xs, m in zip(groups, points, mults, strict=True):
        for p, x in zip(g, xs, strict=True):
            votes[p] += m
            scores[p] += m * x
    return votes, scores


def _count_pairs(data: TallyInput) -> tuple[list[str], list[int], list[Number]]:
    """Votes and scores without grouping ballots: (id, points) pairs are counted in C."""
    ids, index = _project_index(data)
    ballots = data.ballots
    pairs: Counter[tuple[str, Number]] | None = None
    if isinstance(ballots, Sequence):
        try:
            pairs = Counter(chain.from_iterable(map(dict.items, ballots)))
        except TypeError:
            pairs = None
    if pairs is None:
        pairs = Counter(chain.from_iterable(map(_ITEMS, ballots)))
    votes = [0] * len(ids)
    scores: list[Number] = [0] * len(ids)
    for (pid, x), n in pairs.items():
        try:
            p = index[pid]
        except KeyError as exc:
            raise _unknown(exc) from None
        if x:
            if x < 0:
                raise ValueError("negative points")
            votes[p] += n
            scores[p] += n * x
    return ids, votes, scores


# --------------------------------------------------------------------------- greedy


def greedy(data: TallyInput) -> TallyResult:
    """Greedy by score: fund projects in descending score while they fit (ties: id ascending)."""
    ids, votes, scores = _count_pairs(data)
    return _greedy(ids, [p.cost for p in data.projects], data.budget, votes, scores)


def _greedy(
    ids: list[str], costs: list[Number], budget: Number, votes: list[int], scores: list[Number]
) -> TallyResult:
    order = sorted(range(len(ids)), key=lambda p: (-scores[p], ids[p]))
    remaining: Number = budget
    selected: list[str] = []
    explanations: dict[str, Explanation] = {}
    for step, p in enumerate(order, start=1):
        pid, cost = ids[p], costs[p]
        common = {"cost": cost, "votes": votes[p], "score": scores[p]}
        if scores[p] == 0:
            explanations[pid] = Explanation(pid, ExplanationKind.NO_VOTE, None, **common)
        elif cost <= remaining:
            explanations[pid] = Explanation(
                pid, ExplanationKind.FUNDED, step, remaining=remaining, **common
            )
            selected.append(pid)
            remaining -= cost
        else:
            explanations[pid] = Explanation(
                pid, ExplanationKind.NO_FIT, step, remaining=remaining, **common
            )
    return TallyResult("greedy", selected, budget - remaining, budget, remaining, explanations)


# --------------------------------------------------------------------------- equal shares


class _Lin:
    """A linear function of the per-voter budget x near a base point b: v + s * (x - b).

    Comparisons are lexicographic on (v, s): they answer the question at x = b + epsilon.
    """

    __slots__ = ("v", "s")

    def __init__(self, v: Number, s: Number = 0) -> None:
        self.v = v
        self.s = s

    @staticmethod
    def _of(other: object) -> _Lin:
        return other if isinstance(other, _Lin) else _Lin(other)  # type: ignore[arg-type]

    def __add__(self, other: object) -> _Lin:
        o = _Lin._of(other)
        return _Lin(self.v + o.v, self.s + o.s)

    __radd__ = __add__

    def __sub__(self, other: object) -> _Lin:
        o = _Lin._of(other)
        return _Lin(self.v - o.v, self.s - o.s)

    def __rsub__(self, other: object) -> _Lin:
        return _Lin._of(other) - self

    def __mul__(self, k: Number) -> _Lin:
        return _Lin(self.v * k, self.s * k)

    __rmul__ = __mul__

    def __truediv__(self, k: Number) -> _Lin:
        return _Lin(Fraction(self.v, 1) / k, Fraction(self.s, 1) / k)

    def key(self) -> tuple[Number, Number]:
        return (self.v, self.s)

    def __lt__(self, other: object) -> bool:
        return self.key() < _Lin._of(other).key()

    def __le__(self, other: object) -> bool:
        return self.key() <= _Lin._of(other).key()

    def __gt__(self, other: object) -> bool:
        return self.key() > _Lin._of(other).key()

    def __ge__(self, other: object) -> bool:
        return self.key() >= _Lin._of(other).key()

    def __eq__(self, other: object) -> bool:
        return self.key() == _Lin._of(other).key()

    def __hash__(self) -> int:
        return hash(self.key())


@dataclass
class _Run:
    """One MES run: selection order and the facts its explanations need."""

    selected: list[int]
    cost: Number
    rounds: dict[int, tuple[int, object, object, int]]  # project -> (round, rho, share, capped)
    unaffordable: dict[int, tuple[int, object]]  # project -> (round, money available)
    free: list[int]
    #: tracked runs only: next budget above the base at which a comparison may flip
    next_change: Fraction | None = None
    #: tracked runs only: a comparison was an exact tie at the base point itself
    tie_at_base: bool = False


@dataclass
class _State:
    """Mutable state of one MES run: classes of voters with equal money, aggregates."""

    group_class: list[int]  # class of each distinct ballot
    money: list  # money left per voter of each class (Fraction, or _Lin when tracked)
    money_f: list  # float mirror of money (None when tracked)
    by_money: dict  # exact money -> class, to merge classes
    log: list[tuple[int, int, int]]  # every move of a ballot: (ballot, old class, new class)
    cache: dict[int, tuple[int, dict]]  # project -> (log length seen, (class, u) -> voters)
    tol: float = 0.0  # absolute float tolerance on money (plain runs)


class _LazyMoney:
    """Exact money per class, computed on demand as the parent's money minus a payment."""

    __slots__ = ("values", "parent", "due")

    def __init__(self, first: Fraction) -> None:
        self.values: list[Fraction | None] = [first]
        self.parent: list[int] = [-1]
        self.due: list[object] = [None]

    def __len__(self) -> int:
        return len(self.values)

    def append(self, value: Fraction) -> None:
        self.values.append(value)
        self.parent.append(-1)
        self.due.append(None)

    def append_lazy(self, parent: int, due: object) -> None:
        self.values.append(None)
        self.parent.append(parent)
        self.due.append(due)

    def __getitem__(self, c: int) -> Fraction:
        value = self.values[c]
        if value is None:
            chain = []
            while self.values[c] is None:
                chain.append(c)
                c = self.parent[c]
            value = self.values[c]
            for k in reversed(chain):
                value = value - self.due[k]  # type: ignore[operator]
                self.values[k] = value
        return value  # type: ignore[return-value]


class _Mes:
    """Method of Equal Shares on budget classes: plain (exact at b) or tracked (at b + epsilon).

    A *class* is a set of voters with the same money left; its money is shared by all of them.
    Each project's supporters are collapsed into entries (money, utility, voters, class).
    """

    def __init__(self, prep: _Prepared) -> None:
        self.prep = prep
        costs, mults = prep.costs, prep.mults
        n_projects = len(prep.ids)
        cost_utility = prep.data.vote_type in ("approval", "choose-1")
        self.sup_g: list[list[int]] = [[] for _ in range(n_projects)]
        #: utilities of the supporters (aligned with sup_g), only where they differ
        self.sup_u: list[list[Number] | None] = [None] * n_projects
        #: the utility shared by every supporter, where they all have the same
        self.u0: list[Number] = [0] * n_projects
        add_g = [s.append for s in self.sup_g]
        if cost_utility or prep.points is None:
            for g, ballot in enumerate(prep.groups):
                for p in ballot:
                    add_g[p](g)
            for p in range(n_projects):
                # pabutools: a supporter is a voter with positive satisfaction
                self.u0[p] = costs[p] if cost_utility else 1
                if self.u0[p] <= 0:
                    self.sup_g[p] = []
        else:
            sup_u: list[list[Number]] = [[] for _ in range(n_projects)]
            add_u = [s.append for s in sup_u]
            for g, (ballot, xs) in enumerate(zip(prep.groups, prep.points, strict=True)):
                for p, x in zip(ballot, xs, strict=True):
                    add_g[p](g)
                    add_u[p](x)
            for p, us in enumerate(sup_u):
                distinct = set(us)
                if len(distinct) == 1:
                    self.u0[p] = us[0]
                elif distinct:
                    self.sup_u[p] = us
        self.sup_m: list[list[int]] = [list(map(mults.__getitem__, gs)) for gs in self.sup_g]
        self.uniform = [us is None for us in self.sup_u]
        self.total_u: list[Number] = [
            u0 * sum(ms) if us is None else sum(map(mul, us, ms))
            for u0, us, ms in zip(self.u0, self.sup_u, self.sup_m, strict=True)
        ]
        # uniform supporters repeated by multiplicity, for C-level counting (if not much longer)
        self.sup_rep: list[list[int] | None] = [None] * n_projects
        for p, (gs, ms) in enumerate(zip(self.sup_g, self.sup_m, strict=True)):
            if self.uniform[p]:
                voters = sum(ms)
                if voters == len(gs):
                    self.sup_rep[p] = gs
                elif voters <= 2 * len(gs):
                    self.sup_rep[p] = list(chain.from_iterable(map(repeat, gs, ms)))
        #: supporters as a set (uniform) or {group: utility}, built when first needed
        self._member: list[Container[int] | Mapping[int, Number] | None] = [None] * n_projects
        self.eligible = [p for p in range(n_projects) if self.total_u[p] > 0 and costs[p] > 0]
        self.free = sorted(
            (p for p in range(n_projects) if self.total_u[p] > 0 and costs[p] == 0),
            key=lambda p: prep.ids[p],
        )

    def _members(self, p: int):
        member = self._member[p]
        if member is None:
            us = self.sup_u[p]
            member = set(self.sup_g[p]) if us is None else dict(zip(self.sup_g[p], us, strict=True))
            self._member[p] = member
        return member

    def supported_cost(self) -> Number:
        """Total cost of every project somebody supports."""
        return sum((self.prep.costs[p] for p in self.eligible), 0)

    # -- shared helpers -------------------------------------------------------------------

    def _new_state(self, start: object, start_f: float | None) -> _State:
        """Every voter in class 0 with `start` money."""
        key = start.key() if isinstance(start, _Lin) else (start.numerator, start.denominator)  # type: ignore[attr-defined]
        money = [start] if isinstance(start, _Lin) else _LazyMoney(start)  # type: ignore[arg-type]
        return _State([0] * len(self.prep.groups), money, [start_f], {key: 0}, [], {})

    def _entries(self, state: _State, p: int) -> list[tuple[int, Number, int]]:
        """Supporters of p collapsed to (class, utility, voters).

        The count per class is cached per project and brought up to date either by replaying
        the moves logged since (when fewer) or by recounting the supporters. When all the
        supporters of p have the same utility (always with cost utilities) the key is the
        class alone, and a recount is one C-level Counter pass over the supporters.
        """
        log = state.log
        cached = state.cache.get(p)
        uniform = self.uniform[p]
        if cached is not None and len(log) - cached[0] <= len(self.sup_g[p]):
            seen, acc = cached
            mults = self.prep.mults
            if uniform:
                member = self._members(p)
                for g, old, new in log[seen:]:
                    if g in member:
                        m = mults[g]
                        left = acc[old] - m
                        if left:
                            acc[old] = left
                        else:
                            del acc[old]
                        acc[new] = acc.get(new, 0) + m
            else:
                util_of = self._members(p)
                for g, old, new in log[seen:]:
                    u = util_of.get(g)  # type: ignore[union-attr]
                    if u is None:
                        continue
                    m = mults[g]
                    k_old, k_new = (old, u), (new, u)
                    left = acc[k_old] - m
                    if left:
                        acc[k_old] = left
                    else:
                        del acc[k_old]
                    acc[k_new] = acc.get(k_new, 0) + m
        elif uniform and self.sup_rep[p] is not None:
            acc = Counter(map(state.group_class.__getitem__, self.sup_rep[p]))
        else:
            acc = {}
            group_class = state.group_class
            if uniform:
                for g, m in zip(self.sup_g[p], self.sup_m[p], strict=True):
                    c = group_class[g]
                    acc[c] = acc.get(c, 0) + m
            else:
                for g, u, m in zip(self.sup_g[p], self.sup_u[p], self.sup_m[p], strict=True):
                    key = (group_class[g], u)
                    acc[key] = acc.get(key, 0) + m
        state.cache[p] = (len(log), acc)
        if uniform:
            u0 = self.u0[p]
            return [(c, u0, m) for c, m in acc.items()]
        return [(c, u, m) for (c, u), m in acc.items()]

    def _pay(self, state: _State, p: int, rho, entries) -> tuple[object, int]:
        """Charge the supporters of p at price rho and move them to their new classes.

        Voters with equal money left are interchangeable, so classes are merged by money.
        The per-project aggregates are updated only for the voters who moved.
        """
        money, money_f, by_money = state.money, state.money_f, state.by_money
        track = money_f[0] is None
        moved: dict[tuple[int, Number], int] = {}
        capped_voters = 0
        dues: dict[Number, object] = {}
        if track:
            share = None
            for c, u, m in entries:
                left = money[c]
                due = dues.get(u)
                if due is None:
                    due = dues[u] = rho * u
                if due > left:
                    due, new_money = left, left - left
                    capped_voters += m
                else:
                    new_money = left - due
                if share is None or due > share:
                    share = due
                key = new_money.key()
                new_class = by_money.get(key)
                if new_class is None:
                    new_class = by_money[key] = len(money)
                    money.append(new_money)
                    money_f.append(None)
                moved[(c, u)] = new_class
        else:
            rho_f = float(rho)
            tol = state.tol
            zero = by_money.get((0, 1))
            paying: set[Number] = set()
            for c, u, m in entries:
                left_f, due_f = money_f[c], rho_f * u
                if abs(left_f - due_f) > _MARGIN * (left_f + due_f) + tol:
                    is_capped = due_f > left_f
                else:
                    due = dues.get(u)
                    if due is None:
                        due = dues[u] = rho * u
                    is_capped = due > money[c]
                if is_capped:  # gives all it has left: joins the class with no money
                    capped_voters += m
                    if zero is None:
                        zero = by_money[(0, 1)] = len(money)
                        money.append(Fraction(0))
                        money_f.append(0.0)
                    moved[(c, u)] = zero
                else:  # pays rho * u; exact money computed only if ever needed
                    paying.add(u)
                    due = dues.get(u)
                    if due is None:
                        due = dues[u] = rho * u
                    moved[(c, u)] = len(money)
                    money.append_lazy(c, due)
                    money_f.append(max(left_f - due_f, 0.0))
            share = max(dues[u] if u in dues else rho * u for u in paying)
        group_class, log, sup_g = state.group_class, state.log, self.sup_g[p]
        if self.uniform[p]:  # map and zip run in C: this loop is the hot spot of big files
            by_class = {c: new for (c, _), new in moved.items()}
            olds = list(map(group_class.__getitem__, sup_g))
            news = list(map(by_class.__getitem__, olds))
            for g, new in zip(sup_g, news, strict=True):
                group_class[g] = new
            log.extend(zip(sup_g, olds, news, strict=True))
        else:
            for g, u in zip(sup_g, self.sup_u[p], strict=True):
                old = group_class[g]
                new = moved[(old, u)]
                if new != old:
                    group_class[g] = new
                    log.append((g, old, new))
        state.cache.pop(p, None)
        return share, capped_voters

    # -- plain run: exact at b, lazy like pabutools, floats only to skip exact work -------------

    def run(self, budget_per_voter: Number) -> _Run:
        """Run MES exactly with the given per-voter budget."""
        ids, costs = self.prep.ids, self.prep.costs
        base = Fraction(budget_per_voter)
        base_f = float(base)
        state = self._new_state(base, base_f)
        money, money_f = state.money, state.money_f
        # float error on money is below 1e-13 x base; anything closer is checked exactly
        tol = state.tol = 1e-9 * base_f + 1e-300
        lower = {p: Fraction(costs[p], self.total_u[p]) for p in self.eligible}
        lower_f = {p: float(v) for p, v in lower.items()}
        alive = set(self.eligible)
        selected: list[int] = []
        rounds: dict[int, tuple[int, object, object, int]] = {}
        unaffordable: dict[int, tuple[int, object]] = {}
        round_no = 0
        while alive:
            round_no += 1
            best: Fraction | None = None
            best_f = 0.0
            tied: list[int] = []
            entries_of: dict[int, list] = {}
            for p in sorted(alive, key=lower_f.__getitem__):
                if best is not None:
                    # lazy: last round's price is a lower bound of this round's price
                    if lower_f[p] > best_f * (1 + _MARGIN) or (
                        lower_f[p] >= best_f * (1 - _MARGIN) and lower[p] > best
                    ):
                        continue
                entries = self._entries(state, p)
                cost = costs[p]
                available_f = 0.0
                voters = 0
                for c, _, m in entries:
                    available_f += money_f[c] * m
                    voters += m
                slack = _MARGIN * cost + tol * voters
                if available_f < cost - slack or (
                    available_f <= cost + slack and _exact_money(entries, money) < cost
                ):
                    alive.discard(p)
                    state.cache.pop(p, None)
                    unaffordable[p] = (round_no, entries)
                    continue
                rho = _price(cost, entries, money, money_f, tol)
                lower[p] = rho
                lower_f[p] = float(rho)
                entries_of[p] = entries
                if best is None or rho < best:
                    best, best_f, tied = rho, lower_f[p], [p]
                elif rho == best:
                    tied.append(p)
            if not tied:
                break
            chosen = min(tied, key=lambda q: ids[q])
            alive.discard(chosen)
            selected.append(chosen)
            share, capped = self._pay(state, chosen, best, entries_of[chosen])
            rounds[chosen] = (round_no, best, share, capped)
        for p, (when, entries) in unaffordable.items():  # exact money only for the explanation
            unaffordable[p] = (when, _exact_money(entries, money))  # type: ignore[arg-type]
        cost = sum((costs[p] for p in selected), 0) + sum((costs[p] for p in self.free), 0)
        return _Run(selected, cost, rounds, unaffordable, list(self.free))

    # -- tracked run: at b + epsilon, records where the outcome may change -----------------------

    def run_tracked(self, budget_per_voter: Number) -> _Run:
        """Run MES at budget + epsilon and find the next budget where the outcome may change.

        Money is a linear function of the per-voter budget x (slopes >= 0, so prices only fall
        as x grows). Recorded: the capped/uncapped status of each payer of a funded project (it
        fixes how money depends on x), each loser's condition "its price stays above the
        winner's" (a convex piecewise-linear test, skipped when even its price with nobody
        capped is above), and the final unaffordability of the projects left.
        """
        ids, costs = self.prep.ids, self.prep.costs
        base = Fraction(budget_per_voter)
        watch = _Watch(base)
        state = self._new_state(_Lin(base, 1), None)
        money = state.money
        floor = {p: Fraction(costs[p], self.total_u[p]) for p in self.eligible}
        lower: dict[int, _Lin] = {p: _Lin(v) for p, v in floor.items()}
        seen: dict[int, list] = {}  # last entries evaluated, as (money, utility, voters)
        alive = set(self.eligible)
        selected: list[int] = []
        rounds: dict[int, tuple[int, object, object, int]] = {}
        unaffordable: dict[int, tuple[int, object]] = {}
        round_no = 0
        while alive:
            round_no += 1
            best: _Lin | None = None
            tied: list[int] = []
            priced: dict[int, tuple[_Lin, list, list]] = {}
            removed: list[int] = []
            for p in sorted(alive, key=lambda q: lower[q].key()):
                if best is not None and lower[p] > best:
                    continue  # last round's price is a lower bound of this round's
                entries = self._entries(state, p)
                with_money = [(money[c], u, m) for c, u, m in entries]
                seen[p] = with_money
                available = _Lin(0)
                for left, _, m in with_money:
                    available = available + left * m
                if available < costs[p]:
                    removed.append(p)
                    unaffordable[p] = (round_no, available)
                    watch.note(available - costs[p])
                    continue
                rho, ordered = _price_tracked(costs[p], entries, money)
                lower[p] = rho
                priced[p] = (rho, ordered, entries)
                if best is None or rho < best:
                    best, tied = rho, [p]
                elif rho == best:
                    tied.append(p)
            for p in removed:
                alive.discard(p)
                state.cache.pop(p, None)
            if best is None:
                break
            chosen = min(tied, key=lambda q: ids[q])
            for p in alive:
                if p != chosen and not floor[p] > best.v:
                    watch.loser(
                        costs[p], seen[p] if p in seen else self._with_money(state, p), best
                    )
            rho, ordered, entries = priced[chosen]
            for left, u in ordered:
                watch.note(left - rho * u)
            alive.discard(chosen)
            selected.append(chosen)
            share, capped = self._pay(state, chosen, rho, entries)
            rounds[chosen] = (round_no, rho, share, capped)
        cost = sum((costs[p] for p in selected), 0) + sum((costs[p] for p in self.free), 0)
        return _Run(
            selected, cost, rounds, unaffordable, list(self.free), watch.next_change, watch.tie
        )

    def _with_money(self, state: _State, p: int) -> list:
        """Current supporters of p as (money, utility, voters)."""
        return [(state.money[c], u, m) for c, u, m in self._entries(state, p)]


_MARGIN = 1e-9  # relative float error allowed before an exact check (errors are ~1e-13)


def _price(
    cost: Number, entries: list, money: list[Fraction], money_f: list[float], tol: float
) -> Fraction:
    """Exact smallest rho with sum(voters * min(money, rho * u)) == cost, floats as a guide.

    The capped set (voters paying all they have) is guessed with floats, rho is computed
    exactly from it, and every entry is then checked: with floats when clearly apart, exactly
    otherwise. A wrong guess falls back to the exact sort (pabutools' loop).
    """
    ordered = sorted(entries, key=lambda e: money_f[e[0]] / e[1])
    denominator = sum(u * m for _, u, m in ordered)
    paid_f = 0.0
    k = 0
    for c, u, m in ordered:
        if (cost - paid_f) / denominator * u <= money_f[c]:
            break
        paid_f += money_f[c] * m
        denominator -= u * m
        k += 1
    rho = _rho_from(cost, ordered, k, money)
    if rho is not None:
        rho_f = float(rho)
        for i, (c, u, _) in enumerate(ordered):
            due_f = rho_f * u
            left_f = money_f[c]
            if abs(due_f - left_f) > _MARGIN * (due_f + left_f) + tol:
                ok = (left_f < due_f) == (i < k)
            else:
                ok = (money[c] < rho * u) == (i < k)
            if not ok:
                break
        else:
            return rho
    return _price_exact(cost, entries, money)


def _exact_money(entries: list, money: list) -> Fraction:
    """Exact total money left of the voters in these entries."""
    return _weighted_sum((money[c], m) for c, _, m in entries)


def _weighted_sum(pairs: Iterable[tuple[Fraction, int]]) -> Fraction:
    """Exact sum of value * weight; integer sums per denominator keep Fraction work small."""
    by_den: dict[int, int] = {}
    for value, weight in pairs:
        den = value.denominator
        by_den[den] = by_den.get(den, 0) + value.numerator * weight
    if not by_den:
        return Fraction(0)
    common = math.lcm(*by_den)
    return Fraction(sum(num * (common // den) for den, num in by_den.items()), common)


def _rho_from(cost: Number, ordered: list, k: int, money: list) -> Fraction | None:
    """Price when the first k entries pay all their money (None if that leaves nobody)."""
    rest = sum(u * m for _, u, m in ordered[k:])
    if rest == 0:
        return None
    paid = _weighted_sum((money[c], m) for c, _, m in ordered[:k])
    return (cost - paid) / Fraction(rest)


def _price_exact(cost: Number, entries: list, money: list) -> Fraction:
    """Exact price by the classic sort (pabutools' loop), used when floats are inconclusive."""
    ordered = sorted(entries, key=lambda e: money[e[0]] / e[1])
    denominator = sum(u * m for _, u, m in ordered)
    paid = Fraction(0)
    for c, u, m in ordered:
        rho = (cost - paid) / denominator
        if rho * u <= money[c]:
            return rho
        paid += money[c] * m
        denominator -= u * m
    raise AssertionError("an affordable project always has a price")


def _price_tracked(cost: Number, entries: list, money: list) -> tuple[_Lin, list]:
    """Price at b + epsilon as a linear function; also returns (money, utility) per entry."""
    ordered = sorted(entries, key=lambda e: money[e[0]] / e[1])
    denominator = sum(u * m for _, u, m in ordered)
    paid = _Lin(0)
    for c, u, m in ordered:
        rho = (cost - paid) / Fraction(denominator)
        if rho * u <= money[c]:
            return rho, [(money[c2], u2) for c2, u2, _ in ordered]
        paid = paid + money[c] * m
        denominator -= u * m
    raise AssertionError("an affordable project always has a price")


class _Watch:
    """Collects, during a tracked run, the nearest budget above the base where a test flips."""

    def __init__(self, base: Fraction) -> None:
        self.base = base
        self.next_change: Fraction | None = None
        self.tie = False

    def _at(self, offset: Fraction) -> None:
        x = self.base + offset
        if self.next_change is None or x < self.next_change:
            self.next_change = x

    def note(self, diff: _Lin) -> None:
        """A linear test v + s*(x - base) whose sign at base + epsilon must not change."""
        v, s = diff.v, diff.s
        if v == 0:
            if s != 0:
                self.tie = True
            return
        if s != 0 and (v > 0) != (s > 0):
            self._at(Fraction(-v) / s)

    def loser(self, cost: Number, entries: list, rho: _Lin) -> None:
        """Project with these (money, utility, voters) must not become cheaper than rho.

        Its price exceeds rho exactly when g(x) = cost - sum(m * min(money, rho*u)) > 0; g is
        convex and piecewise linear, so walk its kinks to its first zero above the base.
        """
        g_v: Number = cost
        g_s: Number = 0
        kinks: list[tuple[Fraction, Number]] = []
        if not entries:
            return
        for left, u, m in entries:
            due = rho * u
            diff = left - due
            active, other = (left, due) if diff < 0 else (due, left)
            g_v -= active.v * m
            g_s -= active.s * m
            if diff.v != 0 and diff.s != 0 and (diff.v > 0) != (diff.s > 0):
                kinks.append((Fraction(-diff.v) / diff.s, -(other.s - active.s) * m))
        if g_v == 0:
            if g_s == 0:  # an exact tie on an interval: safe only until the next kink
                if kinks:
                    self._at(min(k for k, _ in kinks))
                return
            self.tie = True
        kinks.sort()
        pos: Fraction = Fraction(0)
        for at, slope_change in kinks:
            if g_s < 0:
                root = pos + Fraction(g_v) / -g_s
                if root <= at:
                    self._at(root)
                    return
            g_v += g_s * (at - pos)
            pos = at
            g_s += slope_change
        if g_s < 0:
            self._at(pos + Fraction(g_v) / -g_s)


def equal_shares(data: TallyInput, completion: Completion = "none") -> TallyResult:
    """Method of Equal Shares with optional Add1 completion and comparison with greedy."""
    if completion not in ("none", "add1", "add1-comparison"):
        raise ValueError(f"unknown completion {completion!r}")
    prep = _prepare(data)
    mes = _Mes(prep)
    budget = data.budget
    if prep.n_voters == 0:
        return _mes_result(prep, mes, None, Fraction(0), CompletionInfo(completion))
    base = Fraction(budget) / prep.n_voters
    if completion == "none":
        return _mes_result(prep, mes, mes.run(base), base, None)
    if mes.supported_cost() <= budget:
        # Add1 would never become infeasible: equalshares.net skips it, so do we.
        run = mes.run(base)
        info = CompletionInfo(completion, applied=False, voter_budget=base, runs=1)
    else:
        run, increments, runs = _add1(mes, base, budget)
        info = CompletionInfo(completion, True, base + increments, increments, runs)
    result = _mes_result(prep, mes, run, info.voter_budget or base, info)
    if completion == "add1-comparison":
        result = _compare_with_greedy(prep, result, info)
    return result


def _add1(mes: _Mes, base: Fraction, budget: Number) -> tuple[_Run, int, int]:
    """Add1: raise every voter's budget by whole units while the outcome fits the budget.

    Returns the run of the last whole step whose outcome fits, its number of units, and the
    number of MES runs made. A tracked run at step k also tells up to which budget the
    outcome stays the same, so every whole step before that point is skipped. A tracked run
    costs more than a plain one, so when jumps stop paying off (the outcome changes at
    almost every step) the search walks a few steps with plain runs before trying again.
    Only the speed depends on this choice, never the outcome.
    """
    runs = 0
    kept: int | None = None  # last whole step known to fit
    k = 0
    started = time.perf_counter()
    mes.run(base)
    plain_seconds = time.perf_counter() - started
    plain_steps = 0  # plain unit steps to take before the next tracked run
    while True:
        point = base + k
        if plain_steps > 0:
            plain_steps -= 1
            runs += 1
            if mes.run(point).cost > budget:
                break
            kept, k = k, k + 1
            continue
        started = time.perf_counter()
        tracked = mes.run_tracked(point)
        tracked_seconds = time.perf_counter() - started
        runs += 1
        cost_here = tracked.cost
        if tracked.tie_at_base:  # exactly at `point` the outcome may differ from just above
            cost_here = mes.run(point).cost
            runs += 1
        if cost_here > budget:
            break
        kept = k
        limit = tracked.next_change
        if limit is None:  # the outcome never changes again (cannot happen when Add1 applies)
            break
        k_next = max(k + 1, _ceil(limit - base))
        if k_next > k + 1:  # steps k+1 .. k_next-1 lie in (point, limit): tracked outcome
            if tracked.cost > budget:
                break
            kept = k_next - 1
        skipped = k_next - k - 1
        if skipped * plain_seconds < tracked_seconds:
            plain_steps = min(64, max(1, int(tracked_seconds / max(plain_seconds, 1e-6))))
        k = k_next
    assert kept is not None, "MES at the initial budget is always feasible"
    final = mes.run(base + kept)
    return final, kept, runs + 2


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _mes_result(
    prep: _Prepared,
    mes: _Mes,
    run: _Run | None,
    voter_budget: Fraction,
    info: CompletionInfo | None,
) -> TallyResult:
    """Turn a run into a TallyResult with one explanation per project."""
    budget = prep.data.budget
    explanations: dict[str, Explanation] = {}
    selected_idx: list[int] = []
    if run is not None:
        selected_idx = list(run.free) + run.selected
    for p, pid in enumerate(prep.ids):
        common = {"cost": prep.costs[p], "votes": prep.votes[p], "score": prep.scores[p]}
        if run is not None and p in run.rounds:
            round_no, rho, share, capped = run.rounds[p]
            explanations[pid] = Explanation(
                pid,
                ExplanationKind.FUNDED,
                round_no,
                rho=rho,
                share=share,
                paying_all_left=capped,
                **common,
            )
        elif run is not None and p in run.free:
            explanations[pid] = Explanation(pid, ExplanationKind.FREE, 0, **common)
        elif run is not None and p in run.unaffordable:
            round_no, available = run.unaffordable[p]
            explanations[pid] = Explanation(
                pid, ExplanationKind.INSUFFICIENT, round_no, available=available, **common
            )
        else:
            explanations[pid] = Explanation(pid, ExplanationKind.NO_VOTE, None, **common)
    selected = [prep.ids[p] for p in selected_idx]
    cost = sum((prep.costs[p] for p in selected_idx), 0)
    return TallyResult("equal-shares", selected, cost, budget, budget - cost, explanations, info)


def _compare_with_greedy(
    prep: _Prepared, mes_result: TallyResult, info: CompletionInfo
) -> TallyResult:
    """Keep MES unless strictly more voters have more of their projects funded by greedy."""
    greedy_result = _greedy(prep.ids, prep.costs, prep.data.budget, prep.votes, prep.scores)
    index = {pid: i for i, pid in enumerate(prep.ids)}
    in_mes = {index[pid] for pid in mes_result.selected}
    in_greedy = {index[pid] for pid in greedy_result.selected}
    prefer_mes = prefer_greedy = 0
    for ballot, m in zip(prep.groups, prep.mults, strict=True):
        a = sum(1 for p in ballot if p in in_mes)
        b = sum(1 for p in ballot if p in in_greedy)
        if a > b:
            prefer_mes += m
        elif b > a:
            prefer_greedy += m
    switched = prefer_greedy > prefer_mes
    new_info = CompletionInfo(
        info.method,
        info.applied,
        info.voter_budget,
        info.increments,
        info.runs,
        prefer_mes,
        prefer_greedy,
        switched,
    )
    chosen = greedy_result if switched else mes_result
    chosen.completion = new_info
    return chosen


def scores(data: TallyInput) -> dict[str, Number]:
    """Greedy ranking score of every project (approvals, points or positional points)."""
    ids, _, points = _count_pairs(data)
    return dict(zip(ids, points, strict=True))
