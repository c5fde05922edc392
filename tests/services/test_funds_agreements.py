"""Services of the multi-year agreements: tranches, reviews, dashboard."""

from datetime import date

import pytest
import sqlalchemy as sa

from pdvsolutions.errors import DomainError
from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Grant, Instrument, Role
from pdvsolutions.rules.agreements import ReviewDecision, TrancheStatus
from pdvsolutions.services import agreements
from tests import factories
from tests.factories_funds import make_agreement, make_org

from ..conftest import count


def _review(tranche, decision, amount=None, reason=""):
    return agreements.review_tranche(
        tranche, factories.make_user(Role.STAFF), reviewed_on=date(2026, 1, 20),
        indicators_achieved="110 élèves", assessment="Bon travail", decision=decision,
        amount_cents=amount, reason=reason)


def test_agreement_releases_the_first_tranche_at_signature(app_ctx):
    agreement = make_agreement(years=4)
    assert [t.year for t in agreement.tranches] == [2025, 2026, 2027, 2028]
    assert agreement.tranches[0].status is TrancheStatus.RELEASED
    assert agreement.tranches[1].status is TrancheStatus.PLANNED
    assert db.session.scalar(sa.select(Grant.instrument)) is Instrument.AGREEMENT


def test_agreement_of_two_years_is_refused(app_ctx):
    with pytest.raises(DomainError):
        make_agreement(years=2)
    db.session.rollback()
    assert count(Grant) == 0


def test_later_tranche_stays_unpaid_without_annual_review(app_ctx):
    agreement = make_agreement()
    second = agreement.tranches[1]
    assert second.grant_id is None and second.released_cents == 0
    assert count(Grant) == 1


def test_review_releasing_a_tranche_creates_its_grant(app_ctx):
    agreement = make_agreement()
    _review(agreement.tranches[1], ReviewDecision.RELEASED)
    assert agreement.tranches[1].released_cents == 3_000_000
    assert count(Grant) == 2
    assert db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.action == "agreement.reviewed")) is not None


def test_reduced_tranche_without_reason_is_refused_and_changes_nothing(app_ctx):
    agreement = make_agreement()
    with pytest.raises(DomainError) as error:
        _review(agreement.tranches[1], ReviewDecision.REDUCED, 1_000_000, "")
    assert error.value.field == "reason"
    assert agreement.tranches[1].status is TrancheStatus.PLANNED


def test_reduced_tranche_pays_the_reduced_amount(app_ctx):
    agreement = make_agreement()
    _review(agreement.tranches[1], ReviewDecision.REDUCED, 2_000_000, "Objectifs partiels")
    assert agreement.tranches[1].status is TrancheStatus.REDUCED
    assert agreement.tranches[1].grant.amount_cents == 2_000_000


def test_first_tranche_cannot_be_reviewed(app_ctx):
    agreement = make_agreement()
    with pytest.raises(DomainError):
        _review(agreement.tranches[0], ReviewDecision.RELEASED)


def test_tranche_is_reviewed_only_once(app_ctx):
    agreement = make_agreement()
    _review(agreement.tranches[1], ReviewDecision.SUSPENDED, reason="Pas de bilan")
    with pytest.raises(DomainError):
        _review(agreement.tranches[1], ReviewDecision.RELEASED)


def test_dashboard_shares_associations_under_agreement(app_ctx):
    make_agreement(make_org("Sous CPO"), first_year=2026)
    other = make_org("Sans CPO")
    db.session.add(Grant(organization_id=other.id, instrument=Instrument.ROUND, reference="R1",
                         decided_on=date(2026, 1, 1), amount_cents=100, purpose="x"))
    db.session.flush()
    stats = agreements.dashboard(2026)
    assert (stats["under_cpo"], stats["supported"], stats["share"]) == (1, 2, 50)
    assert len(stats["due"]) == 1 and stats["due_cents"] == 3_000_000
