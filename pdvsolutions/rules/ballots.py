"""Is a ballot valid for its round? Pure checks of the choices against the ballot type."""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BallotRules:
    """The round's ballot settings, as plain values."""

    ballot_type: str  #: ``approval``, ``knapsack`` or ``cumulative``
    envelope_cents: int
    min_approvals: int | None = None
    max_approvals: int | None = None
    points_total: int | None = None


def ballot_problems(
    rules: BallotRules, choices: Mapping[int, int], costs: Mapping[int, int]
) -> list[str]:
    """Return the codes of what is wrong with ``choices`` (proposal id → points); [] if valid.

    ``costs`` maps every proposal on the ballot to its cost in cents; a choice outside it is
    ``unknown_proposal``. Approval and knapsack ballots give 1 point per approved proposal.
    Codes: unknown_proposal, bad_points, empty, too_few, too_many, over_budget,
    points_exceeded.
    """
    if any(pid not in costs for pid in choices):
        return ["unknown_proposal"]
    if any(points < 1 for points in choices.values()):
        return ["bad_points"]
    problems = []
    if not choices:
        problems.append("empty")
    if rules.ballot_type == "cumulative":
        if rules.points_total is not None and sum(choices.values()) > rules.points_total:
            problems.append("points_exceeded")
        return problems
    if any(points != 1 for points in choices.values()):
        return ["bad_points"]
    if rules.min_approvals is not None and choices and len(choices) < rules.min_approvals:
        problems.append("too_few")
    if rules.max_approvals is not None and len(choices) > rules.max_approvals:
        problems.append("too_many")
    if rules.ballot_type == "knapsack":
        if sum(costs[pid] for pid in choices) > rules.envelope_cents:
            problems.append("over_budget")
    return problems
