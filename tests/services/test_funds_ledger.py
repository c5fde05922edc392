"""The fund's ledger records the payments of its grants; CPO tranches are paid only once
released by their annual review; the review shows and records the residents' evaluation;
the prototype's budget follows the proposals' rules and freezes with the decision."""

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pdvsolutions.errors import DomainError
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    FundEntry,
    FundEntryKind,
    Grant,
    Instrument,
    Payment,
    Role,
)
from pdvsolutions.rules.agreements import ReviewDecision, TrancheStatus
from pdvsolutions.services import agreements, funds, grants, sprints
from pdvsolutions.timeutil import today
from tests import factories
from tests.factories_funds import (
    add_budget,
    evaluated_action,
    fund_grant,
    make_agreement,
    make_fund,
    make_org,
    make_sprint,
)

from ..conftest import count


def _staff():
    return factories.make_user(Role.STAFF)


def test_paying_a_fund_grant_writes_the_payment_in_the_ledger(app_ctx):
    fund = make_fund(10_000_000)
    _decision, grant = fund_grant(fund, amount_cents=2_500_000)
    payment = grant.payments[0]
    grants.record_paid(payment, _staff(), today())
    entry = db.session.scalar(sa.select(FundEntry).where(
        FundEntry.kind == FundEntryKind.PAYMENT))
    assert (entry.fund_id, entry.payment_id, entry.grant_id, entry.amount_cents) == \
        (fund.id, payment.id, grant.id, 2_500_000)
    assert funds.paid_cents(fund.id) == 2_500_000
    # A payment does not change the balance: the commitment already lowered it.
    assert funds.balance_cents(fund) == 7_500_000
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "payment.paid"))
    details = json.loads(audit.details)
    assert details["fund"] == fund.id and details["amount_cents"] == 2_500_000


def test_ledger_by_grant_shows_committed_paid_and_left_to_pay(app_ctx):
    fund = make_fund(10_000_000)
    _decision, grant = fund_grant(fund, amount_cents=2_500_000)
    grant.payments[0].amount_cents = 1_000_000
    grants.plan_payment(grant, _staff(), planned_on=date(2026, 6, 1), amount_cents=1_500_000,
                        condition="sur bilan")
    grants.record_paid(grant.payments[0], _staff(), today())
    [row] = funds.grants_ledger(fund)
    assert (row.grant.id, row.committed_cents, row.paid_cents, row.to_pay_cents) == \
        (grant.id, 2_500_000, 1_000_000, 1_500_000)


def test_paying_a_round_grant_writes_nothing_in_any_ledger(app_ctx):
    grant = Grant(organization_id=make_org().id, instrument=Instrument.ROUND, reference="R-1",
                  decided_on=date(2026, 1, 5), amount_cents=100_000, purpose="Cours du soir")
    grant.payments.append(Payment(planned_on=date(2026, 2, 1), amount_cents=100_000))
    db.session.add(grant)
    db.session.flush()
    grants.record_paid(grant.payments[0], _staff(), today())
    assert funds.fund_of_grant(grant) is None
    assert count(FundEntry) == 0


def test_a_payment_is_in_the_ledger_once(app_ctx):
    fund = make_fund()
    _decision, grant = fund_grant(fund)
    payment = grant.payments[0]
    grants.record_paid(payment, _staff(), today())
    with pytest.raises(DomainError):
        grants.record_paid(payment, _staff(), today())
    db.session.add(FundEntry(fund=fund, kind=FundEntryKind.PAYMENT, amount_cents=1,
                             grant_id=grant.id, payment_id=payment.id, label="doublon"))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_fund_payment_in_the_future_changes_nothing(app_ctx):
    fund = make_fund()
    _decision, grant = fund_grant(fund)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        grants.record_paid(grant.payments[0], _staff(), today() + timedelta(days=1))
    assert error.value.field == "paid_on"
    db.session.rollback()
    assert count(FundEntry) == 1  # the commitment only


def test_tranche_grant_is_paid_through_the_same_payment_records(app_ctx):
    agreement = make_agreement(first_year=today().year - 1)
    grant = agreement.tranches[0].grant
    assert agreements.tranche_of_grant(grant) is agreement.tranches[0]
    grants.record_paid(grant.payments[0], _staff(), today())
    assert grant.paid_cents == 3_000_000
    assert count(FundEntry) == 0


def test_tranche_cannot_be_released_before_its_annual_review(app_ctx):
    agreement = make_agreement()
    second = agreement.tranches[1]
    with pytest.raises(DomainError):
        agreements._release(second, second.planned_cents, TrancheStatus.RELEASED, today())
    assert second.grant_id is None and second.released_cents == 0


def _review(tranche, used):
    return agreements.review_tranche(
        tranche, _staff(), reviewed_on=today(), indicators_achieved="110 élèves",
        assessment="Bon travail", decision=ReviewDecision.RELEASED, amount_cents=None,
        reason="", residents_evaluation_used=used)


def test_residents_evaluation_of_the_organisations_funded_actions(app_ctx):
    organization = make_org("Centre social")
    evaluated_action(organization, [(5, 4, 4, 5, "yes"), (3, 4, 2, 3, "no")], voters=4)
    [report] = agreements.residents_evaluations(organization.id)
    summary = report.summary
    assert (summary.voters, summary.responses) == (4, 2)
    assert summary.averages["answers_need"] == 4 and summary.averages["reach"] == 3
    assert summary.renew == {"yes": 1, "no": 1, "dont_know": 0}
    assert report.comments == ["Très utile"]


def test_review_records_that_the_residents_evaluation_was_used(app_ctx):
    agreement = make_agreement(first_year=today().year - 1)
    evaluated_action(agreement.organization, [(4, 4, 4, 4, "yes")])
    review = _review(agreement.tranches[1], True)
    assert review.residents_evaluation_used is True
    audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "agreement.reviewed"))
    assert json.loads(audit.details)["residents_evaluation_used"] is True


def test_review_cannot_claim_an_evaluation_that_does_not_exist(app_ctx):
    agreement = make_agreement(first_year=today().year - 1)
    with pytest.raises(DomainError) as error:
        _review(agreement.tranches[1], False)
    assert error.value.field == "residents_evaluation_used"
    assert agreement.tranches[1].review is None


def test_prototype_budget_is_frozen_once_the_decision_is_taken(app_ctx):
    decision, _grant = fund_grant(make_fund())
    sprint = decision.prospect.sprint
    with pytest.raises(DomainError):
        sprints.add_budget_line(sprint, _staff(), account="64", label="Après coup",
                                amount_cents=100)
    with pytest.raises(DomainError):
        sprints.save_deliverables(sprint, _staff(), prototype="x", indicators="y")


def test_prototype_budget_asks_the_fund_what_other_income_leaves(app_ctx):
    sprint = make_sprint()
    add_budget(sprint, _staff(), charges_cents=300_000, other_income_cents=100_000)
    assert sprints.budget_summary(sprint).requested_cents == 200_000
    assert sprints.budget_problems(sprint) == []
    sprints.add_budget_line(sprint, _staff(), account="86", label="Bénévolat",
                            amount_cents=50_000)
    assert sprints.budget_problems(sprint) == ["contributions_unbalanced"]
