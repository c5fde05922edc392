"""Service tests of the vote: roll, secret ballot with sign-in, refusals, tally, publication."""

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pdvsolutions.errors import DomainError, NotAllowed
from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, BallotType, Role, SignIn, VoterRoll
from pdvsolutions.rules import board as board_rules
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from .. import factories
from ..conftest import count
from ..factories_voting import make_org_member, make_proposal, make_round, vote_world


def test_freeze_roll_records_size_and_fingerprint_of_pseudonyms(app_ctx):
    world = vote_world(members=4)
    roll = db.session.scalar(sa.select(VoterRoll))
    assert roll.size == 4
    assert roll.fingerprint == board_rules.voter_roll_fingerprint(
        [e.pseudonym for e in roll.entries])
    assert len({e.pseudonym for e in roll.entries}) == 4
    assert all(len(e.pseudonym) == 32 for e in roll.entries)
    assert roll.round_id == world["round"].id


def test_freeze_roll_with_open_vote_takes_every_resident_of_the_territory(app_ctx):
    round_ = make_round(open_vote=True)
    make_proposal(round_, "Jardin", 1000)
    home = [factories.make_user(Role.RESIDENT) for _ in range(3)]
    factories.make_user(Role.RESIDENT, qpv_code=factories.QPV_OTHER)
    phases.change_phase(round_, Phase.VOTE, factories.make_user(Role.STAFF))
    assert {e.user_id for e in voting.roll_of(round_).entries} == {u.id for u in home}


def test_freeze_roll_refuses_an_empty_committee(app_ctx):
    round_ = make_round()
    make_proposal(round_, "Jardin", 1000)
    with pytest.raises(DomainError):
        phases.change_phase(round_, Phase.VOTE, factories.make_user(Role.STAFF))


def test_cast_ballot_writes_sign_in_and_a_sealed_anonymous_ballot(app_ctx):
    world = vote_world()
    member, (a, b, _c) = world["members"][0], world["proposals"]
    ballot = voting.cast_ballot(world["round"], member, {a.id: 1, b.id: 1})
    assert count(SignIn) == 1 and count(Ballot) == 1
    assert not hasattr(Ballot, "user_id") and not hasattr(Ballot, "created_at")
    assert ballot.content == board_rules.canonical_content({a.id: 1, b.id: 1})
    assert ballot.tracker == board_rules.tracker(ballot.content, ballot.nonce)
    # In the urn: no place in the chain, no lines, until the vote closes.
    assert (ballot.position, ballot.prev_hash, ballot.hash, ballot.lines) == (None, None, None, [])


def test_close_vote_chains_the_urn_in_tracker_order_and_writes_the_lines(app_ctx):
    world = vote_world(members=4)
    pid, other = world["proposals"][2].id, world["proposals"][1].id
    cast = [voting.cast_ballot(world["round"], member, {pid: 1, other: 1})
            for member in world["members"]]
    assert voting.roll_of(world["round"]).head_hash == board_rules.GENESIS
    phases.change_phase(world["round"], Phase.RESULTS, world["staff"])
    chained = sorted(cast, key=lambda b: b.tracker)
    assert [b.position for b in chained] == [1, 2, 3, 4]
    prev = board_rules.GENESIS
    for ballot in chained:
        assert ballot.prev_hash == prev
        assert ballot.hash == board_rules.chain_hash(prev, ballot.tracker, ballot.content)
        assert sorted(line.proposal_id for line in ballot.lines) == sorted([pid, other])
        prev = ballot.hash
    assert voting.roll_of(world["round"]).head_hash == prev


def test_cast_ballot_refuses_a_second_ballot_of_the_same_member(app_ctx):
    world = vote_world()
    pid = world["proposals"][2].id
    voting.cast_ballot(world["round"], world["members"][0], {pid: 1})
    with pytest.raises(NotAllowed):
        voting.cast_ballot(world["round"], world["members"][0], {pid: 1})
    assert count(Ballot) == 1


def test_sign_in_unique_constraint_refuses_a_concurrent_duplicate(app_ctx):
    world = vote_world()
    db.session.add(SignIn(round_id=world["round"].id, user_id=world["members"][0].id))
    with pytest.raises(IntegrityError):
        db.session.add(SignIn(round_id=world["round"].id, user_id=world["members"][0].id))
        db.session.flush()


def test_cast_ballot_refuses_a_resident_not_on_the_roll(app_ctx):
    world = vote_world()
    outsider = factories.make_user(Role.RESIDENT)
    with pytest.raises(NotAllowed):
        voting.cast_ballot(world["round"], outsider, {world["proposals"][0].id: 1})
    assert count(SignIn) == 0


def test_cast_ballot_refuses_outside_the_vote_phase(app_ctx):
    world = vote_world(open_vote=False)
    with pytest.raises(NotAllowed):
        voting.cast_ballot(world["round"], world["members"][0], {world["proposals"][0].id: 1})


def test_cast_ballot_refuses_a_proposal_of_another_round(app_ctx):
    world = vote_world()
    other = make_proposal(make_round("Autre appel"), "Ailleurs", 1000)
    with pytest.raises(DomainError):
        voting.cast_ballot(world["round"], world["members"][0], {other.id: 1})
    assert count(SignIn) == 0 and count(Ballot) == 0


def test_cast_ballot_refuses_an_over_budget_knapsack_ballot(app_ctx):
    world = vote_world(ballot_type=BallotType.KNAPSACK)
    a, b, _c = world["proposals"]
    with pytest.raises(DomainError, match="enveloppe"):
        voting.cast_ballot(world["round"], world["members"][0], {a.id: 1, b.id: 1})


def test_cast_ballot_refuses_too_many_points_on_a_cumulative_ballot(app_ctx):
    world = vote_world(ballot_type=BallotType.CUMULATIVE, points_total=5)
    a, b, _c = world["proposals"]
    with pytest.raises(DomainError, match="points"):
        voting.cast_ballot(world["round"], world["members"][0], {a.id: 4, b.id: 2})


def test_cast_ballot_refuses_a_vote_for_the_members_own_organisation(app_ctx):
    world = vote_world()
    make_org_member(world["organization"], world["members"][0])
    with pytest.raises(DomainError, match="structure"):
        voting.cast_ballot(world["round"], world["members"][0], {world["proposals"][0].id: 1})


def test_paper_ballot_is_marked_and_signs_the_member_in(app_ctx):
    world = vote_world()
    ballot = voting.cast_ballot(world["round"], world["members"][0],
                                {world["proposals"][1].id: 1}, recorded_by=world["staff"])
    signin = db.session.scalar(sa.select(SignIn))
    assert signin.on_paper and signin.recorded_by_id == world["staff"].id
    # Not on the ballot: a paper mark would link the few paper ballots to their sign-ins.
    assert not hasattr(ballot, "on_paper")


def _vote_and_close(world):
    a, b, c = world["proposals"]
    for member, choices in zip(world["members"], [{a.id: 1, c.id: 1}, {a.id: 1}, {b.id: 1, c.id: 1}],
                               strict=False):
        voting.cast_ballot(world["round"], member, choices)
    phases.change_phase(world["round"], Phase.RESULTS, world["staff"])


def test_close_vote_refuses_later_ballots(app_ctx):
    world = vote_world(members=4)
    _vote_and_close(world)
    assert voting.roll_of(world["round"]).closed_at is not None
    with pytest.raises(NotAllowed):
        voting.cast_ballot(world["round"], world["members"][3], {world["proposals"][0].id: 1})


def test_tally_round_selects_by_greedy_within_the_envelope(app_ctx):
    world = vote_world()
    _vote_and_close(world)
    result = voting.tally_round(world["round"], world["staff"])
    a, b, c = world["proposals"]
    # a: 2 votes (60 000), c: 2 votes (30 000), b: 1 vote (50 000 no longer fits).
    assert result.selected_ids == sorted([a.id, c.id])
    assert result.spent_cents == 90_000_00
    assert [s["code"] for s in result.steps] == ["funded", "funded", "no_fit"]


def test_tally_round_is_refused_before_the_vote_closes(app_ctx):
    world = vote_world()
    with pytest.raises(DomainError):
        voting.tally_round(world["round"], world["staff"])


def test_publish_results_marks_selected_proposals_funded(app_ctx):
    world = vote_world()
    _vote_and_close(world)
    voting.tally_round(world["round"], world["staff"])
    voting.publish_results(world["round"], world["staff"])
    a, b, c = world["proposals"]
    assert world["round"].results_published_at is not None
    assert a.funded_at and c.funded_at and b.funded_at is None
    with pytest.raises(DomainError):
        voting.tally_round(world["round"], world["staff"])


def test_participation_counts_sign_ins_by_college(app_ctx):
    world = vote_world(members=4)
    voting.cast_ballot(world["round"], world["members"][1], {world["proposals"][0].id: 1})
    data = voting.participation(world["round"])
    assert data["size"] == 4 and data["voted"] == 1
    assert {(r["college"], r["voted"]) for r in data["colleges"]} == {
        ("Conseil citoyen", 1), ("Parents d'élèves", 0)}


def test_participation_of_a_closed_vote_is_counted_once_and_an_open_one_every_time(app_ctx):
    from flask import current_app

    from ..web.test_query_counts import counting_queries

    world = vote_world(members=4)
    voting.cast_ballot(world["round"], world["members"][1], {world["proposals"][0].id: 1})
    assert voting.participation(world["round"])["voted"] == 1
    voting.cast_ballot(world["round"], world["members"][2], {world["proposals"][0].id: 1})
    assert voting.participation(world["round"])["voted"] == 2  # open: counted again
    phases.change_phase(world["round"], Phase.RESULTS, world["staff"])
    db.session.commit()
    roll = voting.roll_of(world["round"])
    first = voting.participation(world["round"], roll)
    first["colleges"].clear()  # a caller changing its copy changes nothing kept
    app = current_app._get_current_object()
    with counting_queries(app) as statements:
        again = voting.participation(world["round"], roll)
    assert statements == []
    assert again["size"] == 4 and again["voted"] == 2
    assert {(r["college"], r["voted"]) for r in again["colleges"]} == {
        ("Conseil citoyen", 1), ("Parents d'élèves", 1)}


def test_audit_of_a_ballot_holds_no_choice(app_ctx):
    from pdvsolutions.models import AuditEvent

    world = vote_world()
    ballot = voting.cast_ballot(world["round"], world["members"][0], {world["proposals"][0].id: 1})
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "vote.ballot_cast"))
    assert ballot.tracker not in event.details
    assert json.loads(event.details) == {}


def test_tally_round_by_equal_shares_stays_within_the_envelope(app_ctx):
    from pdvsolutions.models import TallyRule

    world = vote_world(tally_rule=TallyRule.EQUAL_SHARES)
    _vote_and_close(world)
    result = voting.tally_round(world["round"], world["staff"])
    assert result.rule is TallyRule.EQUAL_SHARES
    assert 0 < result.spent_cents <= world["round"].envelope_cents
    assert {s["code"] for s in result.steps} <= {"funded", "insufficient", "no_vote", "free"}
