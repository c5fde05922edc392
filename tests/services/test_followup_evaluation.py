"""Who may evaluate, once; the report's exact figures; closing keeps outcomes; next round."""

import pytest
import sqlalchemy as sa

from pdvsolutions.errors import DomainError, NotAllowed
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    ActionOutcome,
    Evaluation,
    Need,
    NeedOrigin,
    OutboxMessage,
    Renew,
    Role,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation
from pdvsolutions.services.phases import change_phase

from .. import factories
from .. import factories_followup as ff
from ..conftest import count


def answers(a=4, q=4, r=3, rel=5, renew=Renew.YES, comment=""):
    return evaluation.Answers(a, q, r, rel, comment, renew)


@pytest.fixture
def world(app_ctx):
    w = ff.follow_up_world(Phase.EVALUATION)
    w["voter"] = ff.make_voter(w["round"])
    w["staff"] = factories.make_user(Role.STAFF)
    return w


def test_voter_evaluates_funded_action(world):
    evaluation.submit_evaluation(world["funded"], world["voter"], answers())
    assert count(Evaluation) == 1


def test_evaluation_refused_to_non_voter(world):
    member = ff.make_voter(world["round"], signed=False)
    with pytest.raises(NotAllowed, match="pas voté"):
        evaluation.submit_evaluation(world["funded"], member, answers())


def test_evaluation_refused_to_resident_outside_committee(world):
    outsider = ff.make_voter(world["round"], committee=False)
    with pytest.raises(NotAllowed, match="comité"):
        evaluation.submit_evaluation(world["funded"], outsider, answers())


def test_evaluation_refused_to_operator(world):
    with pytest.raises(NotAllowed):
        evaluation.submit_evaluation(world["funded"], world["operator"], answers())


def test_evaluation_refused_outside_phase(app_ctx):
    w = ff.follow_up_world(Phase.FOLLOW_UP)
    voter = ff.make_voter(w["round"])
    with pytest.raises(NotAllowed, match="pas ouverte"):
        evaluation.submit_evaluation(w["funded"], voter, answers())


def test_evaluation_refused_twice(world):
    evaluation.submit_evaluation(world["funded"], world["voter"], answers())
    with pytest.raises(DomainError, match="déjà"):
        evaluation.submit_evaluation(world["funded"], world["voter"], answers())
    assert count(Evaluation) == 1


def test_evaluation_refused_for_unfunded_action(world):
    with pytest.raises(DomainError):
        evaluation.submit_evaluation(world["unfunded"], world["voter"], answers())


def test_evaluation_out_of_range_rating_refused(world):
    with pytest.raises(DomainError):
        evaluation.submit_evaluation(world["funded"], world["voter"], answers(a=6))


def test_paper_evaluation_is_marked_and_audited(world):
    item = evaluation.submit_evaluation(world["funded"], world["voter"], answers(),
                                        recorded_by=world["staff"])
    assert item.on_paper and item.recorded_by_id == world["staff"].id
    from pdvsolutions.models import AuditEvent
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evaluation.paper"))
    assert event.actor_id == world["staff"].id


def test_round_report_exact_on_known_data(world):
    others = [ff.make_voter(world["round"]) for _ in range(3)]  # 4 voters in all
    evaluation.submit_evaluation(world["funded"], world["voter"], answers(5, 4, 3, 5))
    evaluation.submit_evaluation(world["funded"], others[0],
                                 answers(4, 4, 2, 5, Renew.NO, "Très utile"))
    evaluation.submit_evaluation(world["funded"], others[1], answers(3, 2, 2, 4, Renew.DONT_KNOW))
    report = evaluation.round_report(world["round"])
    from fractions import Fraction
    assert report.voters == 4 and report.evaluators == 3
    assert report.response_rate == Fraction(3, 4)
    summary = report.actions[0].summary
    assert summary.averages["quality"] == Fraction(10, 3)
    assert summary.renew == {"yes": 1, "no": 1, "dont_know": 1}
    assert report.actions[0].comments == ["Très utile"]


def test_hidden_comment_leaves_the_report(world):
    item = evaluation.submit_evaluation(world["funded"], world["voter"],
                                        answers(comment="Hors sujet"))
    evaluation.hide_comment(item, world["staff"], "Propos hors sujet")
    assert evaluation.round_report(world["round"]).actions[0].comments == []


def test_reminders_go_to_voters_who_have_not_evaluated(world):
    done = ff.make_voter(world["round"])
    ff.make_voter(world["round"], email=None, username="sans-mail")
    evaluation.submit_evaluation(world["funded"], done, answers())
    queued, unreachable = evaluation.send_reminders(world["round"], world["staff"])
    assert (queued, unreachable) == (1, 1)
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.user_id == world["voter"].id
    assert f"/evaluation/{world['round'].id}" in message.body


def _close(world, renew=Renew.YES):
    evaluation.submit_evaluation(world["funded"], world["voter"], answers(renew=renew))
    change_phase(world["round"], Phase.CLOSED, world["staff"])


def test_closing_keeps_each_action_outcome(world):
    _close(world)
    outcome = db.session.scalar(sa.select(ActionOutcome))
    assert outcome.renewed and outcome.responses == 1 and outcome.sum_quality == 4


def test_prefill_next_round_offers_renewed_needs(world):
    _close(world)
    previous, renewals = evaluation.prefill_next_round(world["round"].territory)
    assert previous.id == world["round"].id
    assert [n.id for n in renewals[0].needs] == [world["need"].id]


def test_not_renewed_action_is_not_offered(world):
    _close(world, Renew.NO)
    assert evaluation.prefill_next_round(world["round"].territory)[1] == []


def test_prepare_next_round_creates_draft_with_marked_needs(world):
    _close(world)
    new = evaluation.prepare_next_round(world["round"].territory, world["staff"],
                                        title="Appel à solutions 2027", envelope_cents=6_000_000)
    assert new.phase is Phase.DRAFT
    need = db.session.scalar(sa.select(Need).where(Need.round_id == new.id))
    assert need.title == world["need"].title and need.author_id is None
    origin = db.session.get(NeedOrigin, need.id)
    assert origin.previous_proposal_id == world["funded"].id
