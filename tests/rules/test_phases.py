"""Round phase transitions (pure rules)."""

import pytest

from pdvsolutions.rules.phases import ORDER, Phase, RoundFacts, blockers, next_phase


def _facts(phase, **values) -> RoundFacts:
    defaults = {"envelope_cents": 100_000_00, "retained_needs": 1, "eligible_proposals": 1,
                "results_published": True}
    defaults.update(values)
    return RoundFacts(phase=phase, **defaults)


def test_phases_next_phase_follows_the_order():
    assert [next_phase(p) for p in ORDER[:-1]] == list(ORDER[1:])
    assert next_phase(Phase.CLOSED) is None


@pytest.mark.parametrize("phase", ORDER[:-1])
def test_phases_next_phase_is_allowed_when_ready(phase):
    assert blockers(_facts(phase), next_phase(phase)) == []


def test_phases_going_backwards_is_refused():
    assert blockers(_facts(Phase.VOTE), Phase.CALL) == ["backwards"]
    assert blockers(_facts(Phase.VOTE), Phase.VOTE) == ["backwards"]


def test_phases_skipping_is_refused():
    assert blockers(_facts(Phase.DRAFT), Phase.CALL) == ["skip"]


def test_phases_draft_needs_an_envelope():
    assert blockers(_facts(Phase.DRAFT, envelope_cents=0), Phase.NEEDS) == ["envelope_missing"]


def test_phases_call_needs_a_retained_need():
    assert blockers(_facts(Phase.NEEDS, retained_needs=0), Phase.CALL) == ["no_retained_need"]


def test_phases_vote_needs_every_proposal_reviewed_and_one_eligible():
    facts = _facts(Phase.REVIEW, undecided_proposals=2, eligible_proposals=0)
    assert blockers(facts, Phase.VOTE) == ["undecided_proposals", "no_eligible_proposal"]


def test_phases_follow_up_needs_published_results():
    facts = _facts(Phase.RESULTS, results_published=False)
    assert blockers(facts, Phase.FOLLOW_UP) == ["results_not_published"]
