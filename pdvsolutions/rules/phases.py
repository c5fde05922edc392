"""The round lifecycle: phases in order and the transitions staff may make."""

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    DRAFT = "draft"
    NEEDS = "needs"
    CALL = "call"
    REVIEW = "review"
    VOTE = "vote"
    RESULTS = "results"
    FOLLOW_UP = "follow_up"
    EVALUATION = "evaluation"
    CLOSED = "closed"


ORDER: tuple[Phase, ...] = tuple(Phase)


@dataclass(frozen=True)
class RoundFacts:
    """What the transition rules need to know about a round, as plain values."""

    phase: Phase
    envelope_cents: int
    retained_needs: int = 0
    undecided_proposals: int = 0
    eligible_proposals: int = 0
    ballots: int = 0
    results_published: bool = False


def next_phase(phase: Phase) -> Phase | None:
    """Return the phase after ``phase``, or None for ``closed``."""
    index = ORDER.index(phase)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def blockers(facts: RoundFacts, target: Phase) -> list[str]:
    """Return the codes of the reasons that forbid moving ``facts.phase`` to ``target``.

    An empty list means the transition is allowed. Only the next phase is reachable: a phase
    never goes backwards (and never once a ballot exists), and none is skipped.
    """
    if target != next_phase(facts.phase):
        if ORDER.index(target) <= ORDER.index(facts.phase):
            return ["backwards"]
        return ["skip"]
    reasons = []
    if facts.phase is Phase.DRAFT and facts.envelope_cents <= 0:
        reasons.append("envelope_missing")
    if facts.phase is Phase.NEEDS and facts.retained_needs < 1:
        reasons.append("no_retained_need")
    if facts.phase is Phase.REVIEW:
        if facts.undecided_proposals:
            reasons.append("undecided_proposals")
        if facts.eligible_proposals < 1:
            reasons.append("no_eligible_proposal")
    if facts.phase is Phase.RESULTS and not facts.results_published:
        reasons.append("results_not_published")
    return reasons
