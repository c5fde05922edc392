"""Services of the anti-appel à projets: balance, decisions, pipeline, sprints, audit."""

from datetime import date

import pytest
import sqlalchemy as sa

from pdvsolutions.errors import DomainError
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    DecisionOutcome,
    FundEntry,
    FundingDecision,
    Grant,
    Instrument,
    Organization,
    Role,
)
from pdvsolutions.rules.pipeline import ProspectStatus
from pdvsolutions.services import funds, sourcing, sprints
from tests import factories
from tests.factories_funds import make_fund, make_org, make_prospect, make_sprint, valid_siret

from ..conftest import count


def _decide(sprint, actor, fund, amount, outcome=DecisionOutcome.FUNDED):
    return funds.decide_funding(
        sprint.prospect, actor, fund_id=fund.id, outcome=outcome, committee="Comité FdF",
        decided_on=date(2026, 4, 1), amount_cents=amount, reason="Prototype convaincant")


def _actions():
    return db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_funding_decision_creates_a_fund_grant_and_lowers_the_balance(app_ctx):
    staff = factories.make_user(Role.STAFF)
    fund = make_fund(20_000_000)
    sprint = make_sprint(pitched=True)
    decision = _decide(sprint, staff, fund, 2_500_000)
    assert decision.grant.instrument is Instrument.FUND
    assert decision.grant.payments[0].amount_cents == 2_500_000
    assert funds.balance_cents(fund) == 17_500_000
    assert sprint.prospect.status is ProspectStatus.FUNDED


def test_funding_decision_above_the_balance_is_refused_and_changes_nothing(app_ctx):
    staff = factories.make_user(Role.STAFF)
    fund = make_fund(1_000_000)
    first, second = make_sprint(pitched=True), make_sprint(pitched=True)
    _decide(first, staff, fund, 800_000)
    db.session.commit()
    with pytest.raises(DomainError, match="Solde insuffisant"):
        _decide(second, staff, fund, 300_000)
    db.session.rollback()
    assert funds.balance_cents(fund) == 200_000
    assert count(Grant) == 1
    assert second.prospect.status is ProspectStatus.PITCHED


def test_funding_decision_equal_to_the_balance_empties_the_fund(app_ctx):
    fund = make_fund(1_000_000)
    _decide(make_sprint(pitched=True), factories.make_user(Role.STAFF), fund, 1_000_000)
    assert funds.balance_cents(fund) == 0


def test_funding_decision_before_the_pitch_is_refused(app_ctx):
    fund = make_fund()
    with pytest.raises(DomainError):
        _decide(make_sprint(), factories.make_user(Role.STAFF), fund, 1000)


def test_declined_decision_keeps_the_balance_and_is_audited(app_ctx):
    fund = make_fund(1_000_000)
    sprint = make_sprint(pitched=True)
    decision = _decide(sprint, factories.make_user(Role.STAFF), fund, 5000,
                       DecisionOutcome.DECLINED)
    assert decision.grant is None and decision.amount_cents == 0
    assert funds.balance_cents(fund) == 1_000_000
    assert sprint.prospect.status is ProspectStatus.DECLINED
    assert "funding.decided" in _actions()


def test_fund_creation_refuses_a_period_out_of_order(app_ctx):
    with pytest.raises(DomainError) as error:
        funds.create_fund("F", "Fondation", 100, date(2026, 5, 1), date(2026, 1, 1))
    assert error.value.field == "ends_on"


def test_balance_counts_releases_back(app_ctx):
    fund = make_fund(1000)
    db.session.add_all([
        FundEntry(fund=fund, kind="commitment", amount_cents=700, label="a"),
        FundEntry(fund=fund, kind="payment", amount_cents=700, label="a"),
        FundEntry(fund=fund, kind="release", amount_cents=200, label="a"),
    ])
    db.session.flush()
    assert funds.balance_cents(fund) == 500
    assert funds.paid_cents(fund.id) == 700


def test_pipeline_status_change_is_refused_outside_the_transitions(app_ctx):
    prospect = make_prospect()
    with pytest.raises(DomainError):
        sourcing.move_prospect(prospect, ProspectStatus.FUNDED)
    assert prospect.status is ProspectStatus.SPOTTED


def test_pipeline_status_change_is_audited(app_ctx):
    prospect = make_prospect()
    sourcing.set_status_by_hand(prospect, ProspectStatus.CONTACTED)
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "prospect.status_changed"))
    assert '"to": "contacted"' in event.details


def test_new_structure_needs_a_valid_siret(app_ctx):
    with pytest.raises(DomainError) as error:
        sourcing.find_or_create_organization(organization_id=None, name="Asso",
                                             siret="12345678901234", legal_form="association")
    assert error.value.field == "siret"
    assert count(Organization) == 0


def test_new_structure_with_a_valid_siret_is_created_once(app_ctx):
    siret = valid_siret(42)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    first = sourcing.find_or_create_organization(organization_id=None, name="Asso",
                                                 siret=spaced, legal_form="association")
    again = sourcing.find_or_create_organization(organization_id=None, name="Asso bis",
                                                 siret=siret, legal_form="association")
    assert first.id == again.id and first.siret == siret


def test_sprint_start_sets_checkpoints_and_status(app_ctx):
    sprint = make_sprint(starts_on=date(2026, 3, 2), length_days=10)
    assert [c.due_on for c in sprint.checkpoints] == [
        date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 11)]
    assert sprint.prospect.status is ProspectStatus.SPRINT


def test_sprint_state_uses_the_injected_day(app_ctx):
    sprint = make_sprint(starts_on=date(2026, 3, 2))
    assert sprints.state(sprint, date(2026, 3, 10)).days_left == 7
    assert sprints.state(sprint, date(2026, 3, 20)).late_without_pitch


def test_sprint_pitch_cannot_be_ticked_before_its_day(app_ctx, monkeypatch):
    monkeypatch.setattr(sprints, "today", lambda: date(2026, 3, 5))
    sprint = make_sprint(starts_on=date(2026, 3, 2))
    with pytest.raises(DomainError):
        sprints.mark_checkpoint_done(sprint.checkpoints[-1])
    assert sprint.prospect.status is ProspectStatus.SPRINT


def test_sprint_pitch_ticked_moves_the_structure_to_pitched(app_ctx, monkeypatch):
    monkeypatch.setattr(sprints, "today", lambda: date(2026, 3, 16))
    sprint = make_sprint(starts_on=date(2026, 3, 2))
    sprints.mark_checkpoint_done(sprint.checkpoints[-1])
    assert sprint.prospect.status is ProspectStatus.PITCHED
    assert "sprint.checkpoint_done" in _actions()


def test_operator_sees_only_the_sprints_of_their_organisations(app_ctx):
    operator = factories.make_user(Role.OPERATOR)
    mine = make_sprint(make_org("À nous", member=operator))
    other = make_sprint(make_org("Autres"))
    assert sprints.operator_sprints(operator) == [mine]
    assert sprints.sprint_for_operator(operator, other.id) is None


def test_every_funding_decision_is_in_the_audit_log(app_ctx):
    fund = make_fund()
    staff = factories.make_user(Role.STAFF)
    for _ in range(2):
        _decide(make_sprint(pitched=True), staff, fund, 1000)
    assert _actions().count("funding.decided") == count(FundingDecision) == 2
