"""What the demo promises (README, issues' "demo data"): each instrument at the stages a visitor
is told to look at, built through the services so that every page has something to show."""

from collections import Counter

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    Ballot,
    CommitteeMember,
    Evaluation,
    Grant,
    Payment,
    ProgressReport,
    Proposal,
    Round,
    RoundResult,
    SignIn,
)
from pdvsolutions.models.agreements import MultiYearAgreement
from pdvsolutions.models.followup import NeedOrigin
from pdvsolutions.models.funds import DecisionOutcome, Fund, FundingDecision, Prospect, Sprint
from pdvsolutions.rules.agreements import TrancheStatus
from pdvsolutions.rules.phases import Phase
from pdvsolutions.rules.pipeline import ProspectStatus

from ..conftest import count


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        yield


def _rounds(phase: Phase) -> list[Round]:
    return list(db.session.scalars(sa.select(Round).where(Round.phase == phase)))


def test_demo_vote_rounds(demo):
    (in_vote,) = _rounds(Phase.VOTE)
    assert count(CommitteeMember, CommitteeMember.round_id == in_vote.id) == 12
    assert count(SignIn, SignIn.round_id == in_vote.id) == 3
    published = [r for r in _rounds(Phase.RESULTS)
                 if count(RoundResult, RoundResult.round_id == r.id)]
    assert len(published) == 2
    imported = [r for r in published if "Pabulib" in r.title]
    assert len(imported) == 1
    # A real election: its 84 anonymous ballots, one sign-in each.
    assert count(Ballot, Ballot.round_id == imported[0].id) == 84
    assert count(SignIn, SignIn.round_id == imported[0].id) == 84


def test_demo_follow_up_evaluation_and_closed_rounds(demo):
    (follow_up,) = _rounds(Phase.FOLLOW_UP)
    assert count(Grant, Grant.round_id == follow_up.id) >= 1
    assert count(Payment, Payment.grant_id.in_(
        sa.select(Grant.id).where(Grant.round_id == follow_up.id))) >= 1
    assert count(ProgressReport, ProgressReport.proposal_id.in_(
        sa.select(Proposal.id).where(Proposal.round_id == follow_up.id))) >= 1
    (evaluating,) = _rounds(Phase.EVALUATION)
    evaluators = set(db.session.scalars(sa.select(Evaluation.user_id).join(Proposal)
                                        .where(Proposal.round_id == evaluating.id)))
    # Some of the voters have evaluated, not all: the reminders have someone to remind.
    assert 0 < len(evaluators) < count(SignIn, SignIn.round_id == evaluating.id)
    closed = _rounds(Phase.CLOSED)
    assert closed and count(Evaluation, Evaluation.proposal_id.in_(
        sa.select(Proposal.id).where(Proposal.round_id == closed[0].id))) > 0
    # The next round of that territory starts from the renewed actions' needs.
    assert count(NeedOrigin) >= 1


def test_demo_fund_sourcing_and_agreements(demo):
    (fund,) = db.session.scalars(sa.select(Fund))
    assert fund.total_cents == 200_000_00
    statuses = Counter(p.status for p in db.session.scalars(sa.select(Prospect)))
    assert sum(statuses.values()) == 10
    assert statuses[ProspectStatus.SPRINT] == 3
    assert statuses[ProspectStatus.FUNDED] == 2
    assert statuses[ProspectStatus.DECLINED] == 1
    assert count(Sprint) >= 3
    outcomes = Counter(d.outcome for d in db.session.scalars(sa.select(FundingDecision)))
    assert outcomes[DecisionOutcome.FUNDED] == 2
    agreements = list(db.session.scalars(sa.select(MultiYearAgreement)))
    assert len(agreements) == 3
    # One in its first year (only its first tranche released), one with a reduced tranche.
    assert any([t.status for t in a.tranches][:2] == [TrancheStatus.RELEASED, TrancheStatus.PLANNED]
               for a in agreements)
    assert any(TrancheStatus.REDUCED in {t.status for t in a.tranches} for a in agreements)
