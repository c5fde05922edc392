"""Property tests of the fast tally against a straightforward exact reference.

The reference below works voter by voter with exact fractions, no grouping, no floats, no
laziness: the textbook rules as shared/pabulib/README.md states them. Hypothesis draws small
elections with many ties (few distinct costs and supports, ids such as "9" and "10" whose
string order differs from their numeric one), zero points, free projects and fractional
costs; the fast rules must give the same outcome and the same numbers in the explanations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pdvsolutions.rules.tally import (
    ExplanationKind,
    Number,
    Project,
    TallyInput,
    equal_shares,
    greedy,
    ordinal_points,
)

IDS = ["1", "10", "2", "9", "a", "b"]


# ----------------------------------------------------------------------------- reference


def ref_greedy(data: TallyInput) -> list[str]:
    """Greedy by score (points summed over the ballots), ties by id; never a 0-score project."""
    score = {p.id: sum(b.get(p.id, 0) for b in data.ballots) for p in data.projects}
    left = data.budget
    chosen = []
    for p in sorted(data.projects, key=lambda p: (-score[p.id], p.id)):
        if score[p.id] > 0 and p.cost <= left:
            chosen.append(p.id)
            left -= p.cost
    return chosen


@dataclass
class RefMes:
    """A plain MES run: selection order, price paid per round, money at each round's start."""

    selected: list[str]
    free: list[str]
    rho: dict[str, Fraction]
    round_of: dict[str, int]
    capped: dict[str, int]
    money_at: list[list[Fraction]]  # money of every voter at the start of round k (index k-1)
    util: list[dict[str, Number]]

    @property
    def outcome(self) -> list[str]:
        return self.free + self.selected


def ref_mes(data: TallyInput, per_voter: Fraction | None = None) -> RefMes:
    """Textbook Method of Equal Shares, voter by voter, exact (pabutools' semantics)."""
    costs = {p.id: p.cost for p in data.projects}
    cost_utility = data.vote_type in ("approval", "choose-1")
    util = [
        {
            pid: (costs[pid] if cost_utility else pts)
            for pid, pts in b.items()
            if pts > 0 and (costs[pid] if cost_utility else pts) > 0
        }
        for b in data.ballots
    ]
    n = len(util)
    money = [per_voter if per_voter is not None else Fraction(data.budget, n)] * n
    supported = {pid for u in util for pid in u}
    free = sorted(pid for pid in supported if costs[pid] == 0)
    left = {pid for pid in supported if costs[pid] > 0}
    run = RefMes([], free, {}, {}, {}, [], util)
    while True:
        run.money_at.append(list(money))
        best: tuple[Fraction, str] | None = None
        for pid in sorted(left):
            sup = [i for i in range(n) if pid in util[i]]
            if sum(money[i] for i in sup) < costs[pid]:
                continue
            order = sorted(sup, key=lambda i: money[i] / util[i][pid])
            paid, weight = Fraction(0), sum(util[i][pid] for i in sup)
            for i in order:
                rho = (costs[pid] - paid) / weight
                if rho * util[i][pid] <= money[i]:
                    break
                paid += money[i]
                weight -= util[i][pid]
            if best is None or (rho, pid) < best:
                best = (rho, pid)
        if best is None:
            return run
        rho, pid = best
        capped = 0
        for i in range(n):
            if pid in util[i]:
                due = rho * util[i][pid]
                if due > money[i]:
                    capped += 1
                money[i] -= min(money[i], due)
        run.selected.append(pid)
        run.rho[pid] = rho
        run.round_of[pid] = len(run.money_at)
        run.capped[pid] = capped
        left.discard(pid)


def ref_add1(data: TallyInput) -> tuple[list[str], int]:
    """Add1 by unit steps: +1 per voter while the outcome fits the budget (outcome, steps)."""
    costs = {p.id: p.cost for p in data.projects}
    base = Fraction(data.budget, len(data.ballots))
    plain = ref_mes(data)
    supported = {pid for u in plain.util for pid in u}
    if sum(costs[pid] for pid in supported) <= data.budget:
        return plain.outcome, 0
    k = 0
    kept = plain.outcome
    while True:
        outcome = ref_mes(data, base + k + 1).outcome
        if sum(costs[pid] for pid in outcome) > data.budget:
            return kept, k
        kept, k = outcome, k + 1


def ref_comparison(data: TallyInput, mes_outcome: list[str]) -> tuple[list[str], int, int]:
    """Keep MES unless strictly more voters have more of their projects funded by greedy."""
    greedy_outcome = ref_greedy(data)
    prefer_mes = prefer_greedy = 0
    for b in data.ballots:
        mine = {pid for pid, pts in b.items() if pts > 0}
        a, g = len(mine & set(mes_outcome)), len(mine & set(greedy_outcome))
        prefer_mes += a > g
        prefer_greedy += g > a
    chosen = greedy_outcome if prefer_greedy > prefer_mes else mes_outcome
    return chosen, prefer_mes, prefer_greedy


# ----------------------------------------------------------------------------- strategies


@st.composite
def elections(draw, vote_types: Sequence[str] = ("approval", "cumulative", "ordinal")):
    """Small elections with many ties: few costs, few distinct ballots, repeated ballots."""
    vote_type = draw(st.sampled_from(vote_types))
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=5, unique=True))
    cost = st.one_of(
        st.sampled_from([5, 10, 15, 20, 30]),
        st.just(0),
        st.builds(Fraction, st.integers(1, 60), st.sampled_from([2, 4])),
    )
    projects = [Project(pid, draw(cost)) for pid in ids]
    ballots: list[dict[str, Number]] = []
    for _ in range(draw(st.integers(1, 9))):
        chosen = draw(st.lists(st.sampled_from(ids), max_size=len(ids), unique=True))
        if vote_type == "cumulative":
            ballot = {pid: draw(st.integers(0, 3)) for pid in chosen}
        elif vote_type == "ordinal":
            ballot = ordinal_points(chosen)
        else:
            ballot = dict.fromkeys(chosen, 1)
        ballots += [ballot] * draw(st.integers(1, 3))
    total = sum(p.cost for p in projects)
    budget = draw(st.one_of(st.integers(1, int(total) + 10), st.just(Fraction(int(total) + 3, 2))))
    return TallyInput(projects, budget, ballots, vote_type)


def shuffled_keys(ballots: Sequence[Mapping[str, Number]]) -> list[dict[str, Number]]:
    """The same ballots with their ids in reverse order (grouping must not care)."""
    return [dict(reversed(list(b.items()))) for b in ballots]


# ----------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(elections(("approval", "cumulative", "ordinal", "choose-1")))
def test_greedy_equals_the_reference(data):
    result = greedy(data)
    assert result.selected == ref_greedy(data)
    assert result.cost == sum(p.cost for p in data.projects if p.id in result.selected)


@settings(max_examples=300, deadline=None)
@given(elections())
def test_equal_shares_equals_the_reference_with_its_explanations(data):
    result = equal_shares(data)
    ref = ref_mes(data)
    assert result.selected == ref.outcome
    supporters = {
        pid: [i for i, u in enumerate(ref.util) if pid in u]
        for pid in {p.id for p in data.projects}
    }
    costs = {p.id: p.cost for p in data.projects}
    for pid, why in result.explanations.items():
        if why.kind is ExplanationKind.FUNDED:
            assert (why.step, why.rho, why.paying_all_left) == (
                ref.round_of[pid],
                ref.rho[pid],
                ref.capped[pid],
            )
            assert why.share == ref.rho[pid] * max(
                ref.util[i][pid]
                for i in supporters[pid]
                if ref.money_at[ref.round_of[pid] - 1][i] >= ref.rho[pid] * ref.util[i][pid]
            )
        elif why.kind is ExplanationKind.INSUFFICIENT:
            # found at round `step` with what its supporters had at the start of that round
            money = ref.money_at[why.step - 1]
            assert why.available == sum(money[i] for i in supporters[pid])
            assert why.available < costs[pid]
            assert pid not in ref.outcome
        elif why.kind is ExplanationKind.FREE:
            assert pid in ref.free
        else:
            assert not supporters[pid] and pid not in ref.outcome


@settings(max_examples=150, deadline=None)
@given(elections())
def test_add1_equals_unit_steps(data):
    result = equal_shares(data, "add1")
    outcome, steps = ref_add1(data)
    assert result.selected == outcome
    assert result.completion is not None and result.completion.increments == steps


@settings(max_examples=150, deadline=None)
@given(elections())
def test_add1_comparison_equals_the_reference(data):
    result = equal_shares(data, "add1-comparison")
    mes_outcome, _ = ref_add1(data)
    chosen, prefer_mes, prefer_greedy = ref_comparison(data, mes_outcome)
    assert sorted(result.selected) == sorted(chosen)
    info = result.completion
    assert info is not None and (info.prefer_mes, info.prefer_greedy) == (prefer_mes, prefer_greedy)


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(["none", "add1", "add1-comparison"]))
def test_ballots_as_a_stream_or_in_another_key_order_give_the_same_result(data, completion):
    expected = equal_shares(data, completion)
    streamed = TallyInput(data.projects, data.budget, iter(list(data.ballots)), data.vote_type)
    reordered = TallyInput(data.projects, data.budget, shuffled_keys(data.ballots), data.vote_type)
    for other in (streamed, reordered):
        result = equal_shares(other, completion)
        assert result.selected == expected.selected
        assert result.explanations == expected.explanations
    stream_greedy = TallyInput(data.projects, data.budget, iter(data.ballots), data.vote_type)
    assert greedy(stream_greedy).explanations == greedy(data).explanations


@settings(max_examples=100, deadline=None)
@given(elections(), st.integers(2, 5))
def test_replicated_voters_with_the_same_budget_select_the_same(data, factor):
    # every price and every share divides by the factor: the scaling benchmark relies on it
    replicated = TallyInput(data.projects, data.budget, list(data.ballots) * factor, data.vote_type)
    assert equal_shares(replicated).selected == equal_shares(data).selected
    assert greedy(replicated).selected == greedy(data).selected


def test_tally_refuses_unknown_projects_and_negative_points_from_a_stream_too():
    projects = [Project("a", 10)]
    for ballots in ([{"z": 1}], [{"a": -1}]):
        for given_ballots in (ballots, iter(ballots)):
            data = TallyInput(projects, 10, given_ballots, "cumulative")
            try:
                equal_shares(data)
            except ValueError:
                pass
            else:
                raise AssertionError(f"accepted {ballots}")
