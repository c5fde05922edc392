"""``check_invariants`` itself: silent on sound data (the demo), loud on each broken rule.

SQLite and in-process: these run in the fast suite; the storms run it on PostgreSQL.
"""

import shutil

import pytest
import sqlalchemy as sa

from pdvsolutions import create_app
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    Ballot,
    BallotLine,
    Evaluation,
    FundEntry,
    FundEntryKind,
    Need,
    NeedStatus,
    Renew,
    Role,
    Round,
    SignIn,
    Support,
)
from pdvsolutions.rules.pipeline import ProspectStatus

from .. import factories
from ..conftest import make_test_config
from .invariants import check_invariants


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory, template_database):
    """The demo data, loaded once (slow); each test works on a copy."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite"
    shutil.copyfile(template_database, path)
    app = create_app(make_test_config(path, folder))
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        db.engine.dispose()
    return path


@pytest.fixture
def demo_app(tmp_path, demo_database):
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_database, path)
    app = create_app(make_test_config(path, tmp_path))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_demo_data_breaks_no_invariant(demo_app):
    with demo_app.app_context():
        assert check_invariants(db) == []


def _first(model, *where):
    return db.session.scalars(sa.select(model).where(*where).order_by(model.id)).first()


def test_each_broken_invariant_is_reported(demo_app):
    with demo_app.app_context():
        # A second ballot without its sign-in, with no line; a knapsack-breaking sum below.
        ballot = _first(Ballot)
        db.session.add(Ballot(round_id=ballot.round_id, position=10_000, tracker="f" * 64,
                              nonce="0", content="{}", prev_hash="0" * 64, hash="e" * 64))
        # A support on a merged need, an evaluation by someone who did not vote.
        need = _first(Need, Need.status == NeedStatus.MERGED)
        db.session.add(Support(need_id=need.id, user_id=None))
        evaluation = _first(Evaluation)
        db.session.add(Evaluation(
            round_id=evaluation.round_id, proposal_id=evaluation.proposal_id,
            user_id=factories.make_user(Role.RESIDENT).id, answers_need=3, quality=3, reach=3, relation=3, comment="",
            renew=Renew.YES))
        # A commitment beyond the fund's total, a prospect funded without a decision.
        entry = _first(FundEntry)
        db.session.add(FundEntry(fund_id=entry.fund_id, kind=FundEntryKind.COMMITMENT,
                                 amount_cents=entry.fund.total_cents * 2, label="trop"))
        from pdvsolutions.models import Prospect

        _first(Prospect, Prospect.status == ProspectStatus.SPOTTED).status = ProspectStatus.FUNDED
        # An envelope below what the round's results selected.
        round_ = db.session.get(Round, ballot.round_id)
        round_.envelope_cents = 1
        # An audit row altered after the fact.
        _first(AuditEvent).details = '{"altered": true}'
        db.session.flush()
        problems = "\n".join(check_invariants(db))
        db.session.rollback()
    for expected in ("ballots for", "has no line", "merged, yet 1 supports",
                     "did not vote in round", "balance went down", "decided without a funding",
                     "> envelope 1", "audit chain broken", "evaluations and audit events"):
        assert expected in problems, f"{expected!r} not reported in:\n{problems}"


def test_an_over_budget_knapsack_ballot_and_an_unaudited_vote_are_reported(app):
    from pdvsolutions.models import BallotType

    from ..factories_voting import vote_world

    with app.app_context():
        world = vote_world(2, ballot_type=BallotType.KNAPSACK)
        round_, member = world["round"], world["members"][0]
        ballot = Ballot(round_id=round_.id, position=1, tracker="a" * 64, nonce="0",
                        content="{}", prev_hash="0" * 64, hash="b" * 64,
                        lines=[BallotLine(proposal_id=p.id) for p in world["proposals"]])
        db.session.add_all([ballot, SignIn(round_id=round_.id, user_id=member.id)])
        db.session.flush()
        problems = check_invariants(db)
        assert any("costs 14000000 > envelope 10000000" in p for p in problems), problems
        assert any("1 members voted, 0 votes in the audit log" in p for p in problems), problems
        db.session.rollback()
