"""Greedy and equal shares on small hand-checked elections."""

from pdvsolutions.rules import tally


def test_greedy_skips_what_no_longer_fits_and_takes_a_cheaper_one():
    costs = {"a": 60, "b": 50, "c": 30}
    ballots = [{"a": 1, "b": 1}, {"a": 1, "b": 1}, {"a": 1, "c": 1}]
    outcome = tally.greedy(costs, ballots, 100)
    assert outcome.selected == ["a", "c"]
    assert [s["code"] for s in outcome.steps] == ["funded", "skipped", "funded"]


def test_greedy_breaks_ties_by_project_id_and_never_funds_zero_votes():
    outcome = tally.greedy({"b": 10, "a": 10, "z": 1}, [{"a": 1, "b": 1}], 10)
    assert outcome.selected == ["a"]
    assert {"code": "no_votes", "project": "z"} in outcome.steps


def test_equal_shares_is_proportional_where_greedy_is_not():
    # 3 voters want x and y (cost 60 each); 1 voter wants z (cost 25); budget 100.
    costs = {"x": 60, "y": 60, "z": 25}
    ballots = [{"x": 1, "y": 1}] * 3 + [{"z": 1}]
    assert tally.greedy(costs, ballots, 100).selected == ["x", "z"]
    outcome = tally.equal_shares(costs, ballots, 100)
    # The minority's share (25) pays for z; the majority (75) can afford x but then not y.
    assert outcome.selected == ["x", "z"]
    codes = {s["project"]: s["code"] for s in outcome.steps}
    assert codes["y"] == "mes_unaffordable"


def test_equal_shares_refuses_what_the_supporters_cannot_pay():
    outcome = tally.equal_shares({"p": 90, "q": 10}, [{"p": 1}, {"q": 1}], 100)
    assert outcome.selected == ["q"]
