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
pabutools' ``lexico_tie_breaking``.

Exactness. Every decision of the outcome is exact; floats only find the answer fast:

* each voter class's money is kept as a float (error provably below ``(2k + 2) x 2^-52`` of
  the per-voter budget after k rounds: every payment is an exact due, converted once) and
  exactly, as an integer over a common denominator, computed only when needed;
* a round prices the projects with floats, then prices the cheapest one exactly (the float
  guess of who pays all they have is checked exactly near the edge) and certifies that every
  other project costs strictly more, by testing what its supporters would pay at a given
  price against its cost: in floats when the gap exceeds an explicit error bound, otherwise
  exactly. Projects that may cost as little are priced exactly and the tie goes to the id;
* a project is found unaffordable by the same kind of test (floats beyond the error bound,
  exact sums otherwise). Explanations carry exact fractions.

Speed. Raw ballots are grouped once, hashing them in C (the tuple of their keys for approval
dicts, of their items otherwise); greedy only counts (id, points) pairs. Equal Shares works on
*budget classes*: voters with the same money left are interchangeable, so each project's
supporters collapse into a few (class, utility) entries, whose per-project counts are cached
and updated from a log of the ballots that moved; evaluation is lazy (a project whose last
price is above the round's best is not priced: prices only grow). Ballots may come as a
one-shot iterator, so that millions of them never sit in memory together.
Add1 does not step one currency unit at a time: a *tracked* run at ``b + epsilon`` treats the
money as linear functions of the per-voter budget ``b`` and returns the next budget at which a
decision could change (a payer of a funded project becoming capped or not, a loser becoming
cheaper than the winner, a project becoming affordable); every whole step before that budget
has the same outcome, so the search jumps straight past them. Where the outcome changes at
almost every step, plain runs are cheaper, and the search alternates; the choice uses the
measured run times, which affects only the speed (and ``CompletionInfo.runs``), never the
outcome. Its plain runs skip the explanations and stop as soon as they exceed the budget.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from itertools import accumulate, chain, compress, count, groupby, repeat
from operator import itemgetter, methodcaller, mul, sub, truediv
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
    #: voters supporting each project and its total points (filled by ``_Mes``)
    votes: list[int] = field(default_factory=list)
    scores: list[Number] = field(default_factory=list)


_ITEMS = methodcaller("items")


def _project_index(data: TallyInput) -> tuple[list[str], dict[str, int]]:
    ids = [p.id for p in data.projects]
    index = {pid: i for i, pid in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError("duplicate project id")
    return ids, index


def _unknown(exc: KeyError) -> ValueError:
    return ValueError(f"ballot names unknown project {exc.args[0]!r}")


def _checked(index: dict[str, int], pid: str, points: Number) -> int | None:
    """Index of a ballot's project, None when it has no points; refuses unknown ids, < 0."""
    try:
        p = index[pid]
    except KeyError as exc:
        raise _unknown(exc) from None
    if points < 0:
        raise ValueError("negative points")
    return p if points else None


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
            # not sorted: equal ballots whose ids came in another order stay apart, which
            # costs the rule less than sorting every distinct ballot would
            groups = list(map(tuple, map(map, repeat(index.__getitem__), keys)))
        except KeyError as exc:
            raise _unknown(exc) from None
    else:
        groups, points, mults = _split_items(keys, mults, index)
    return _Prepared(data, ids, [p.cost for p in data.projects], n_voters, groups, points, mults)


_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _split_items(
    keys: list[tuple[tuple[str, Number], ...]], mults: list[int], index: dict[str, int]
) -> tuple[list[tuple[int, ...]], list[tuple[Number, ...]] | None, list[int]]:
    """Distinct raw ballots (item tuples) to project indices and points, in C-level passes.

    Ballots with a zero or negative point go through ``_normalise`` instead.
    """
    try:
        groups = list(
            map(tuple, map(map, repeat(index.__getitem__), map(map, repeat(_FIRST), keys)))
        )
    except KeyError as exc:
        raise _unknown(exc) from None
    points = list(map(tuple, map(map, repeat(_SECOND), keys)))
    values = set(chain.from_iterable(points))
    if values and min(values) <= 0:
        return _normalise(keys, mults, index)
    return groups, (None if values <= {1} else points), mults


def _normalise(
    keys: list[tuple[tuple[str, Number], ...]], mults: list[int], index: dict[str, int]
) -> tuple[list[tuple[int, ...]], list[tuple[Number, ...]] | None, list[int]]:
    """Distinct raw ballots (item tuples) to sorted project indices with positive points."""
    merged: dict[tuple[tuple[int, Number], ...], int] = {}
    all_ones = True
    for items, m in zip(keys, mults, strict=True):
        pairs: list[tuple[int, Number]] = []
        for pid, x in items:
            p = _checked(index, pid, x)
            if p is not None:
                all_ones = all_ones and x == 1
                pairs.append((p, x))
        pairs.sort()
        key = tuple(pairs)
        merged[key] = merged.get(key, 0) + m
    groups = [tuple(p for p, _ in key) for key in merged]
    points = None if all_ones else [tuple(x for _, x in key) for key in merged]
    return groups, points, list(merged.values())


def _counts(prep: _Prepared) -> list[Number]:
    """Total points of each project, from the grouped ballots and their points."""
    scores: list[Number] = [0] * len(prep.ids)
    assert prep.points is not None
    # groups of one ballot: (project, points) pairs counted in C
    single = [m == 1 for m in prep.mults]
    pairs = Counter(
        zip(
            chain.from_iterable(compress(prep.groups, single)),
            chain.from_iterable(compress(prep.points, single)),
            strict=True,
        )
    )
    for (p, x), n in pairs.items():
        scores[p] += n * x
    for g, xs, m in zip(prep.groups, prep.points, prep.mults, strict=True):
        if m != 1:
            for p, x in zip(g, xs, strict=True):
                scores[p] += m * x
    return scores


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
        p = _checked(index, pid, x)
        if p is not None:
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
    """Exact money per class as integers over a few common denominators, computed on demand.

    The money of a paying class is its parent's minus a due. Dues are exact fractions; every
    class belongs to an *epoch* whose denominator is a multiple of all the denominators met
    so far (each epoch's is a multiple of the previous one's), so a class's money is an
    integer numerator and forcing a chain of classes costs integer operations, no gcd.
    """

    __slots__ = ("nums", "epoch", "parent", "due", "dens", "_ratios")

    def __init__(self, first: Fraction) -> None:
        self.dens: list[int] = [first.denominator]  # denominator of each epoch
        self.nums: list[int | None] = [first.numerator]
        self.epoch: list[int] = [0]
        self.parent: list[int] = [-1]
        self.due: list[int] = [0]  # due scaled to the class's epoch denominator
        self._ratios: dict[tuple[int, int], int] = {}

    def __len__(self) -> int:
        return len(self.nums)

    def append(self, value: Fraction) -> None:
        """A class with a known money (0 for the capped voters)."""
        den = self.dens[-1]
        if den % value.denominator:
            self.dens.append(math.lcm(den, value.denominator))
            den = self.dens[-1]
        self.nums.append(value.numerator * (den // value.denominator))
        self.epoch.append(len(self.dens) - 1)
        self.parent.append(-1)
        self.due.append(0)

    def append_lazy(self, parent: int, due: Fraction) -> None:
        """A class whose money is the parent's minus `due`, computed only if needed."""
        den = self.dens[-1]
        if den % due.denominator:
            self.dens.append(math.lcm(den, due.denominator))
            den = self.dens[-1]
        self.nums.append(None)
        self.epoch.append(len(self.dens) - 1)
        self.parent.append(parent)
        self.due.append(due.numerator * (den // due.denominator))

    def extend_lazy(self, parents: list[int], due: Fraction) -> None:
        """``append_lazy`` for several parents paying the same due."""
        if not parents:
            return
        self.append_lazy(parents[0], due)
        n = len(parents) - 1
        self.nums.extend(repeat(None, n))
        self.epoch.extend(repeat(self.epoch[-1], n))
        self.parent.extend(parents[1:])
        self.due.extend(repeat(self.due[-1], n))

    def numerator(self, c: int) -> int:
        """Money of class c times its epoch's denominator."""
        nums = self.nums
        value = nums[c]
        if value is None:
            chain = []
            while nums[c] is None:
                chain.append(c)
                c = self.parent[c]
            value, epoch, due = nums[c], self.epoch, self.due
            e = epoch[c]
            for k in reversed(chain):
                ek = epoch[k]
                if ek != e:
                    value = value * self._ratio(e, ek)  # type: ignore[operator]
                    e = ek
                value = value - due[k]  # type: ignore[operator]
                nums[k] = value
        return value  # type: ignore[return-value]

    def _ratio(self, old: int, new: int) -> int:
        """dens[new] // dens[old], cached (big integers)."""
        key = (old, new)
        ratio = self._ratios.get(key)
        if ratio is None:
            ratio = self._ratios[key] = self.dens[new] // self.dens[old]
        return ratio

    def __getitem__(self, c: int) -> Fraction:
        return Fraction(self.numerator(c), self.dens[self.epoch[c]])

    def weighted(self, pairs: Iterable[tuple[int, int]]) -> Fraction:
        """Exact sum of voters x money over (class, voters) pairs."""
        by_epoch: dict[int, int] = {}
        epoch = self.epoch
        for c, m in pairs:
            e = epoch[c]
            by_epoch[e] = by_epoch.get(e, 0) + self.numerator(c) * m
        if not by_epoch:
            return Fraction(0)
        last = max(by_epoch)
        total = sum(s * self._ratio(e, last) for e, s in by_epoch.items())
        return Fraction(total, self.dens[last])

    def totals(self, groups: Iterable[Iterable[tuple[int, int]]]) -> list[Fraction]:
        """``weighted`` for each list of (class, voters) pairs."""
        return [self.weighted(pairs) for pairs in groups]


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
            self.sup_m: list[list[int]] = [list(map(mults.__getitem__, gs)) for gs in self.sup_g]
            # the explanations' counts, from the supporter lists (points are 1, or cost utility)
            prep.votes = [sum(ms) for ms in self.sup_m]
            prep.scores = list(prep.votes) if prep.points is None else _counts(prep)
            for p in range(n_projects):
                # pabutools: a supporter is a voter with positive satisfaction
                self.u0[p] = costs[p] if cost_utility else 1
                if self.u0[p] <= 0:
                    self.sup_g[p], self.sup_m[p] = [], []
        else:
            sup_u: list[list[Number]] = [[] for _ in range(n_projects)]
            add_u = [s.append for s in sup_u]
            for g, (ballot, xs) in enumerate(zip(prep.groups, prep.points, strict=True)):
                for p, x in zip(ballot, xs, strict=True):
                    add_g[p](g)
                    add_u[p](x)
            self.sup_m = [list(map(mults.__getitem__, gs)) for gs in self.sup_g]
            prep.votes = [sum(ms) for ms in self.sup_m]
            prep.scores = [sum(map(mul, us, ms)) for us, ms in zip(sup_u, self.sup_m, strict=True)]
            for p, us in enumerate(sup_u):
                distinct = set(us)
                if len(distinct) == 1:
                    self.u0[p] = us[0]
                elif distinct:
                    self.sup_u[p] = us
        self.uniform = [us is None for us in self.sup_u]
        self.total_u: list[Number] = [
            u0 * sum(ms) if us is None else sum(map(mul, us, ms))
            for u0, us, ms in zip(self.u0, self.sup_u, self.sup_m, strict=True)
        ]
        # uniform supporters repeated by multiplicity, for C-level counting (if not much longer)
        self.sup_rep: list[list[int] | None] = [None] * n_projects
        extra = {g: m - 1 for g, m in enumerate(mults) if m > 1}  # copies beyond the first
        for p, (gs, ms) in enumerate(zip(self.sup_g, self.sup_m, strict=True)):
            if self.uniform[p]:
                voters = sum(ms)
                if voters == len(gs):
                    self.sup_rep[p] = gs
                elif voters <= 2 * len(gs):  # (the order does not matter for counting)
                    heavy = list(compress(gs, map(extra.__contains__, gs)))
                    copies = chain.from_iterable(map(repeat, heavy, map(extra.__getitem__, heavy)))
                    self.sup_rep[p] = gs + list(copies)
        #: {supporting group: utility} per project, built when first needed
        self._member: list[dict[int, Number] | None] = [None] * n_projects
        self.eligible = [p for p in range(n_projects) if self.total_u[p] > 0 and costs[p] > 0]
        self.free = sorted(
            (p for p in range(n_projects) if self.total_u[p] > 0 and costs[p] == 0),
            key=lambda p: prep.ids[p],
        )

    def _members(self, p: int) -> dict[int, Number]:
        """{supporting group: its utility} for project p, built when first needed."""
        member = self._member[p]
        if member is None:
            us = self.sup_u[p]
            if us is None:
                member = dict.fromkeys(self.sup_g[p], self.u0[p])
            else:
                member = dict(zip(self.sup_g[p], us, strict=True))
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

    def _acc(self, state: _State, p: int) -> dict:
        """Supporters of p counted by class (uniform utility) or by (class, utility).

        The count per class is cached per project and brought up to date either by replaying
        the moves logged since (when fewer) or by recounting the supporters. When all the
        supporters of p have the same utility (always with cost utilities) the key is the
        class alone, and a recount is one C-level Counter pass over the supporters.
        """
        log = state.log
        cached = state.cache.get(p)
        uniform = self.uniform[p]
        # replaying a move in Python costs about what counting 4 supporters in C does
        recount = len(self.sup_g[p]) if self.sup_rep[p] is None else len(self.sup_rep[p]) // 4
        if cached is not None and len(log) - cached[0] <= recount:
            seen, acc = cached
            mults, util_of = self.prep.mults, self._members(p)
            for g, old, new in log[seen:]:
                u = util_of.get(g)
                if u is None:  # not a supporter of p
                    continue
                m = mults[g]
                k_old, k_new = (old, new) if uniform else ((old, u), (new, u))
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
        return acc

    def _entries(self, state: _State, p: int) -> list[tuple[int, Number, int]]:
        """Supporters of p collapsed to (class, utility, voters)."""
        acc = self._acc(state, p)
        if self.uniform[p]:
            u0 = self.u0[p]
            return [(c, u0, m) for c, m in acc.items()]
        return [(c, u, m) for (c, u), m in acc.items()]

    def _pay_tracked(self, state: _State, p: int, rho, entries) -> tuple[object, int]:
        """Tracked run: charge the supporters of p at price rho (linear money), move them.

        Voters with equal money left are interchangeable, so classes are merged by money.
        The per-project aggregates are updated only for the voters who moved.
        """
        money, money_f, by_money = state.money, state.money_f, state.by_money
        moved: dict[tuple[int, Number], int] = {}
        capped_voters = 0
        dues: dict[Number, object] = {}
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
        self._move(
            state, p, {c: new for (c, _), new in moved.items()} if self.uniform[p] else moved
        )
        return share, capped_voters

    def _move(self, state: _State, p: int, moved: dict) -> None:
        """Move the supporters of p to their new classes, given by old class (uniform
        utility) or by (old class, utility), logging the moves for the cached counts."""
        group_class, log, sup_g = state.group_class, state.log, self.sup_g[p]
        if self.uniform[p]:  # map and zip run in C: this loop is the hot spot of big files
            olds = list(map(group_class.__getitem__, sup_g))
            news = list(map(moved.__getitem__, olds))
            for g, new in zip(sup_g, news, strict=True):
                group_class[g] = new
            log.extend(zip(sup_g, olds, news, strict=True))
        else:
            for g, u in zip(sup_g, self.sup_u[p], strict=True):  # type: ignore[arg-type]
                old = group_class[g]
                new = moved[(old, u)]
                if new != old:
                    group_class[g] = new
                    log.append((g, old, new))
        state.cache.pop(p, None)

    # -- plain run: exact at b; floats find the answer, exact arithmetic certifies it ----------

    def run(
        self, budget_per_voter: Number, explain: bool = True, stop_above: Number | None = None
    ) -> _Run:
        """Run MES exactly with the given per-voter budget.

        ``explain=False`` leaves out the exact money of the unaffordable projects (only the
        outcome is wanted); with ``stop_above`` the run stops as soon as the cost of what it
        selected exceeds that amount (its ``cost`` then says so, the rest is partial).

        Each round prices the projects lazily (in increasing order of their last price, which
        only grows) with floats, takes the cheapest as the candidate winner, computes its
        price exactly, and certifies that every other project costs strictly more (or ties
        and loses on its id): by a float test whose error bound is explicit, or exactly
        when that test is too close to call. See ``_Priced``.
        """
        costs = self.prep.costs
        base = Fraction(budget_per_voter)
        base_f = float(base)
        state = self._new_state(base, base_f)
        money = state.money
        # Float money error: base_f is off by at most 2^-53 x base, and each payment adds at
        # most two roundings of numbers <= base (the exact due converted, the subtraction),
        # i.e. 2^-52 x base; a voter pays at most once a round. `tol` doubles that bound.
        # last float price (order and laziness), and a certified lower bound of the true price
        lower_f = {p: float(Fraction(costs[p], self.total_u[p])) for p in self.eligible}
        certified = {p: v * _BELOW for p, v in lower_f.items()}
        alive = set(self.eligible)
        selected: list[int] = []
        rounds: dict[int, tuple[int, object, object, int]] = {}
        unaffordable: dict[int, tuple[int, object]] = {}
        round_no = 0
        spent: Number = sum((costs[p] for p in self.free), 0)
        while alive:
            round_no += 1
            tol = state.tol = (2 * round_no + 2) * _EPS * base_f + 1e-300
            priced: dict[int, _Priced] = {}
            best_f = math.inf
            order = sorted(alive, key=lower_f.__getitem__)
            cut = len(order)
            for i, p in enumerate(order):
                if lower_f[p] > best_f:  # lazy: its last price is already above the best
                    cut = i
                    break
                item = self._priced(state, p, tol, round_no, unaffordable, alive)
                if item is not None:
                    priced[p] = item
                    lower_f[p] = item.rho_f
                    best_f = min(best_f, item.rho_f)
            if not priced:
                if cut == len(order):
                    break  # nobody can afford anything
                continue  # cannot happen (a cut needs a priced project); kept for safety
            winner, rho = self._winner(
                state, priced, order[cut:], certified, tol, round_no, unaffordable, alive
            )
            if winner is None:
                break
            item = priced[winner]
            alive.discard(winner)
            selected.append(winner)
            share, capped = self._pay_plain(state, winner, rho, item)
            rounds[winner] = (round_no, rho, share, capped)
            spent += costs[winner]
            if stop_above is not None and spent > stop_above:
                break
        if explain:  # exact money only for the explanations, all in one sweep
            totals = money.totals(entries for _, entries in unaffordable.values())
            for p, total in zip(list(unaffordable), totals, strict=True):
                unaffordable[p] = (unaffordable[p][0], total)
        cost = sum((costs[p] for p in selected), 0) + sum((costs[p] for p in self.free), 0)
        return _Run(selected, cost, rounds, unaffordable, list(self.free))

    def _priced(
        self,
        state: _State,
        p: int,
        tol: float,
        round_no: int,
        unaffordable: dict[int, tuple[int, object]],
        alive: set[int],
    ) -> _Priced | None:
        """Supporters of p sorted for pricing, or None when they cannot afford it (recorded)."""
        acc = self._acc(state, p)
        item = _Priced(self.prep.costs[p], acc, state.money_f, self.u0[p], self.uniform[p], tol)
        if item.affordable(state.money) and item.price_float():
            return item
        alive.discard(p)
        state.cache.pop(p, None)
        unaffordable[p] = (round_no, list(zip(item.cs, item.ms, strict=True)))
        return None

    def _winner(
        self,
        state: _State,
        priced: dict[int, _Priced],
        skipped: list[int],
        certified: dict[int, float],
        tol: float,
        round_no: int,
        unaffordable: dict[int, tuple[int, object]],
        alive: set[int],
    ) -> tuple[int | None, Fraction]:
        """The round's winner and its exact price, every other project certified to lose.

        A loser q is certified by a lower bound of its price above the winner's: just under its
        float price when the float test F(x) < cost is conclusive there (kept for the lazy
        evaluation of later rounds), else at the winner's price itself, exactly if needed.
        Projects that cost at most the winner's price are priced exactly and compared.
        """
        ids, money = self.prep.ids, state.money
        w = min(priced, key=lambda q: (priced[q].rho_f, ids[q]))
        while True:
            rho = priced[w].price_exact(money)
            rho_f = float(rho)
            challengers = [w]
            for q, item in priced.items():
                if q == w:
                    continue
                x = item.just_below()
                if x > rho_f * (1 + 1e-14) and item.short_at(x) is True:
                    certified[q] = x  # price(q) > x > rho
                elif item.short_at(rho, money):
                    certified[q] = max(certified[q], rho_f * _BELOW)
                else:
                    challengers.append(q)  # costs at most rho
            if len(challengers) > 1:
                exact = {q: priced[q].price_exact(money) for q in challengers}
                best = min(exact.values())
                new_w = min((q for q, v in exact.items() if v == best), key=ids.__getitem__)
                for q, v in exact.items():
                    if q != new_w:
                        certified[q] = max(certified[q], float(v) * _BELOW)
                if new_w != w:
                    w = new_w
                    continue
            # projects not priced this round need a certified lower bound above rho
            sure = rho_f * (1 + 1e-14)
            late = [q for q in skipped if q in alive and q not in priced and certified[q] <= sure]
            late = [q for q in late if not _above(certified[q], rho, rho_f)]
            if not late:
                return w, rho
            for q in late:
                item = self._priced(state, q, tol, round_no, unaffordable, alive)
                if item is not None:
                    priced[q] = item

    def _pay_plain(self, state: _State, p: int, rho: Fraction, item: _Priced) -> tuple[object, int]:
        """Charge the supporters of p at the exact price rho (capped ones give all they have).

        Paying classes get a new class whose exact money (parent's minus the due) is computed
        only if ever needed; capped ones join the class with no money.
        """
        money, money_f, by_money = state.money, state.money_f, state.by_money
        zero = by_money.get((0, 1))
        n = len(item.cs)
        capped = [item.is_capped(i) for i in range(n)] if item.capped is not None else None
        if capped is None:
            k = item.k
            capped_voters = sum(item.ms[:k])
            has_capped = k > 0
        else:
            capped_voters = sum(m for m, cap in zip(item.ms, capped, strict=True) if cap)
            has_capped = any(capped)
        if has_capped and zero is None:
            zero = by_money[(0, 1)] = len(money)
            money.append(Fraction(0))
            money_f.append(0.0)
        if item.us is None and capped is None:
            # one due for everybody paying: new classes are added in bulk (C-level loops)
            k = item.k
            due = rho * item.u0
            start = len(money)
            paying = item.cs[k:]
            money.extend_lazy(paying, due)
            money_f.extend(map(max, map(sub, item.ys[k:], repeat(float(due))), repeat(0.0)))
            moved: dict = dict.fromkeys(item.cs[:k], zero)
            moved.update(zip(paying, range(start, start + len(paying)), strict=True))
            share: Fraction = due
        else:
            us = [item.u0] * n if item.us is None else item.us
            keys = item.cs if item.us is None else list(zip(item.cs, us, strict=True))
            if capped is None:  # the k poorest are capped
                moved = dict.fromkeys(keys[: item.k], zero)
                rest = sorted(range(item.k, n), key=us.__getitem__)
            else:
                moved = {key: zero for key, cap in zip(keys, capped, strict=True) if cap}
                rest = sorted((i for i in range(n) if not capped[i]), key=us.__getitem__)
            paying: dict[Number, tuple[list[int], list[float]]] = {}  # by utility
            for u, run in groupby(rest, key=us.__getitem__):
                indices = list(run)
                paying[u] = (
                    list(map(item.cs.__getitem__, indices)),
                    list(map(item.ys.__getitem__, indices)),
                )
            dues = []
            for u, (classes, lefts) in paying.items():
                due = rho * u
                dues.append(due)
                start = len(money)
                money.extend_lazy(classes, due)
                money_f.extend(map(max, map(sub, lefts, repeat(float(due))), repeat(0.0)))
                news = range(start, start + len(classes))
                if item.us is None:
                    moved.update(zip(classes, news, strict=True))
                else:
                    moved.update(zip(zip(classes, repeat(u)), news, strict=False))
            share = max(dues)
        self._move(state, p, moved)
        return share, capped_voters

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
            share, capped = self._pay_tracked(state, chosen, rho, entries)
            rounds[chosen] = (round_no, rho, share, capped)
        cost = sum((costs[p] for p in selected), 0) + sum((costs[p] for p in self.free), 0)
        return _Run(
            selected, cost, rounds, unaffordable, list(self.free), watch.next_change, watch.tie
        )

    def _with_money(self, state: _State, p: int) -> list:
        """Current supporters of p as (money, utility, voters)."""
        return [(state.money[c], u, m) for c, u, m in self._entries(state, p)]


_EPS = 2.0**-52  # float relative rounding error, with room to spare
#: a positive float times this is certainly below the exact number it was rounded from
_BELOW = 1 - 2.0**-50


def _above(bound: float, rho: Fraction, rho_f: float) -> bool:
    """Is the float `bound` strictly above the exact `rho` (exactly decided when close)?"""
    if bound > rho_f * (1 + 1e-14):
        return True
    if bound < rho_f * (1 - 1e-14):
        return False
    return bound > rho  # float against Fraction: Python compares them exactly


class _Priced:
    """The supporters of one project in one round, sorted for pricing.

    Entries (voter class, utility u, voters m) are sorted by money per unit of utility
    r = y / u, with float money y. Paying price x per unit, the supporters give
    F(x) = sum(m * min(y, x * u)); the price is the smallest x with F(x) = cost. Prefix sums
    make F an O(log n) bisection. Floats are trusted only beyond an explicit error bound:
    every y is within ``tol`` of the exact money, so the float F is within
    ``voters * tol`` plus rounding (``(n + 8) * 2^-52`` of the magnitudes) of the exact F.
    """

    __slots__ = (
        "cost", "cs", "ms", "us", "u0", "ys", "rs", "paid", "wpre", "voters", "tol",
        "rho_f", "den_f", "k", "rho", "capped",
    )  # fmt: skip

    def __init__(
        self, cost: Number, acc: dict, money_f: list[float], u0: Number, uniform: bool, tol: float
    ) -> None:
        self.cost = cost
        self.tol = tol
        self.u0 = u0
        self.rho: Fraction | None = None
        self.capped: list[bool] | None = None  # set only when the capped set is not a prefix
        self.k = 0
        if uniform:
            cs = list(acc)
            ms = list(acc.values())
            ys = list(map(money_f.__getitem__, cs))
            order = sorted(range(len(cs)), key=ys.__getitem__)  # float keys: a fast sort
            self.us: list[Number] | None = None
            self.ys = list(map(ys.__getitem__, order))
            self.cs = list(map(cs.__getitem__, order))
            self.ms = list(map(ms.__getitem__, order))
            self.rs = self.ys if u0 == 1 else list(map(truediv, self.ys, repeat(float(u0))))
            self.wpre: list[Number] = [0, *map(mul, accumulate(self.ms), repeat(u0))]
        else:
            keys = list(acc)
            cs, us, ms = list(map(_FIRST, keys)), list(map(_SECOND, keys)), list(acc.values())
            ys = list(map(money_f.__getitem__, cs))
            rs = list(map(truediv, ys, map(float, us)))
            order = sorted(range(len(cs)), key=rs.__getitem__)
            self.rs = list(map(rs.__getitem__, order))
            self.ys = list(map(ys.__getitem__, order))
            self.cs = list(map(cs.__getitem__, order))
            self.us = list(map(us.__getitem__, order))
            self.ms = list(map(ms.__getitem__, order))
            self.wpre = [0, *accumulate(map(mul, self.us, self.ms))]
        self.paid = [0.0, *accumulate(map(mul, self.ms, self.ys))]
        self.voters = sum(self.ms)
        self.rho_f = math.inf

    def _slack(self, value: float) -> float:
        return self.voters * self.tol + (len(self.ms) + 8) * _EPS * (abs(value) + self.cost)

    def affordable(self, money: _LazyMoney) -> bool:
        """Do the supporters have at least the cost in total? (exact when close)"""
        total = self.paid[-1]
        slack = self._slack(total)
        if total < self.cost - slack:
            return False
        if total > self.cost + slack:
            return True
        return money.weighted(zip(self.cs, self.ms, strict=True)) >= self.cost

    def price_float(self) -> bool:
        """Float price (``rho_f``) and number of capped entries (``k``); True when found."""
        cost, paid, wpre, rs = self.cost, self.paid, self.wpre, self.rs
        total = wpre[-1]

        def uncapped(k: int) -> bool:  # with the k poorest capped, can entry k pay its due?
            return (cost - paid[k]) / float(total - wpre[k]) <= rs[k]

        # uncapped(k) implies uncapped(k + 1) (the price only falls as the poor are capped),
        # so the first uncapped entry is found by bisection
        lo, hi = 0, len(rs) - 1
        if not uncapped(hi):  # only float noise (money about the cost): the richest pays all
            lo = hi
        while lo < hi:
            mid = (lo + hi) // 2
            if uncapped(mid):
                hi = mid
            else:
                lo = mid + 1
        den_f = float(total - wpre[lo])
        self.rho_f, self.k, self.den_f = (cost - paid[lo]) / den_f, lo, den_f
        return True

    def just_below(self) -> float:
        """A price under ``rho_f`` by enough for ``short_at`` to be conclusive there.

        Near the price F grows by about ``den_f`` per unit of price: step down by twice the
        float error bound of F, in price, plus a relative 1e-12.
        """
        step = 2 * (self._slack(self.cost) + _EPS * self.rho_f * float(self.wpre[-1])) / self.den_f
        return self.rho_f - step - 1e-12 * self.rho_f

    def price_exact(self, money: _LazyMoney) -> Fraction:
        """The exact price: the float guess of who is capped, checked exactly near the edge."""
        if self.rho is not None:
            return self.rho
        k, cs, ms = self.k, self.cs, self.ms
        paid = money.weighted(zip(cs[:k], ms[:k], strict=True))
        rho = (self.cost - paid) / Fraction(self.wpre[-1] - self.wpre[k])
        rho_f = float(rho)
        u_min = float(self.u0 if self.us is None else min(self.us))
        half = 1e-12 * rho_f + 2 * self.tol / u_min
        lo = bisect_left(self.rs, rho_f - half)
        hi = bisect_right(self.rs, rho_f + half)
        ok = lo <= k <= hi
        for i in range(lo, hi) if ok else ():
            u = self.u0 if self.us is None else self.us[i]
            if (money[cs[i]] < rho * u) != (i < k):
                ok = False
                break
        if not ok:
            rho = self._price_by_exact_sort(money)
        self.rho = rho
        return rho

    def _price_by_exact_sort(self, money: _LazyMoney) -> Fraction:
        """pabutools' loop on exact money: the fallback when floats could not settle it."""
        n = len(self.cs)
        us = [self.u0] * n if self.us is None else self.us
        exact = [money[c] for c in self.cs]
        order = sorted(range(n), key=lambda i: exact[i] / us[i])
        denominator = sum(us[i] * self.ms[i] for i in range(n))
        paid: Number = 0
        for i in order:
            rho = (self.cost - paid) / Fraction(denominator)
            if rho * us[i] <= exact[i]:
                self.capped = [exact[j] < rho * us[j] for j in range(n)]
                return rho
            paid += exact[i] * self.ms[i]
            denominator -= us[i] * self.ms[i]
        raise AssertionError("an affordable project always has a price")

    def short_at(self, x: Number, money: _LazyMoney | None = None) -> bool | None:
        """Is F(x) < cost, i.e. is the price strictly above x?

        Decided with floats when the error bound allows; otherwise exactly when ``money``
        is given, else None.
        """
        x_f = float(x)
        k = bisect_left(self.rs, x_f)
        value = self.paid[k] + x_f * float(self.wpre[-1] - self.wpre[k])
        slack = self._slack(value) + _EPS * x_f * float(self.wpre[-1])
        if value < self.cost - slack:
            return True
        if value > self.cost + slack:
            return False
        if money is None:
            return None
        us = repeat(self.u0) if self.us is None else self.us
        given = _weighted_sum(
            (min(money[c], x * u), m) for c, u, m in zip(self.cs, us, self.ms, strict=False)
        )
        return given < self.cost

    def is_capped(self, i: int) -> bool:
        """Does entry i give all its money (after ``price_exact``)?"""
        return self.capped[i] if self.capped is not None else i < self.k


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
    almost every step) the search walks with plain runs before trying again, for twice as
    many steps after each tracked run in a row that did not pay.
    Only the speed depends on this choice, never the outcome.
    """
    runs = 0
    kept: int | None = None  # last whole step known to fit
    k = 0
    started = time.process_time()
    mes.run(base, explain=False)
    plain_seconds = time.process_time() - started
    plain_steps = 0  # plain unit steps to take before the next tracked run
    misses = 0  # tracked runs in a row whose jump did not pay for them
    while True:
        point = base + k
        if plain_steps > 0:
            plain_steps -= 1
            runs += 1
            if mes.run(point, explain=False, stop_above=budget).cost > budget:
                break
            kept, k = k, k + 1
            continue
        started = time.process_time()
        tracked = mes.run_tracked(point)
        tracked_seconds = time.process_time() - started
        runs += 1
        cost_here = tracked.cost
        if tracked.tie_at_base:  # exactly at `point` the outcome may differ from just above
            cost_here = mes.run(point, explain=False, stop_above=budget).cost
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
            # the jump did not pay: walk with plain runs, twice as long after each miss
            misses += 1
            plain_steps = max(1, int(tracked_seconds / max(plain_seconds, 1e-6))) << misses
        else:
            misses = 0
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
