"""Pure checks of a ballot against its round's ballot type."""

from pdvsolutions.rules.ballots import BallotRules, ballot_problems

COSTS = {1: 600, 2: 500, 3: 300}


def test_ballot_problems_accepts_a_valid_approval_ballot():
    assert ballot_problems(BallotRules("approval", 1000), {1: 1, 2: 1, 3: 1}, COSTS) == []


def test_ballot_problems_refuses_an_unknown_proposal():
    assert ballot_problems(BallotRules("approval", 1000), {9: 1}, COSTS) == ["unknown_proposal"]


def test_ballot_problems_refuses_an_empty_ballot():
    assert ballot_problems(BallotRules("approval", 1000), {}, COSTS) == ["empty"]


def test_ballot_problems_refuses_a_knapsack_ballot_over_the_envelope():
    assert ballot_problems(BallotRules("knapsack", 1000), {1: 1, 2: 1}, COSTS) == ["over_budget"]


def test_ballot_problems_accepts_a_knapsack_ballot_exactly_at_the_envelope():
    assert ballot_problems(BallotRules("knapsack", 1100), {1: 1, 2: 1}, COSTS) == []


def test_ballot_problems_enforces_min_and_max_approvals():
    rules = BallotRules("approval", 1000, min_approvals=2, max_approvals=2)
    assert ballot_problems(rules, {1: 1}, COSTS) == ["too_few"]
    assert ballot_problems(rules, {1: 1, 2: 1, 3: 1}, COSTS) == ["too_many"]


def test_ballot_problems_refuses_points_on_an_approval_ballot():
    assert ballot_problems(BallotRules("approval", 1000), {1: 3}, COSTS) == ["bad_points"]


def test_ballot_problems_refuses_more_points_than_the_total():
    rules = BallotRules("cumulative", 1000, points_total=5)
    assert ballot_problems(rules, {1: 3, 2: 3}, COSTS) == ["points_exceeded"]
    assert ballot_problems(rules, {1: 3, 2: 2}, COSTS) == []
