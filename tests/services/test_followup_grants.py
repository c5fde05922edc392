"""Grants within the envelope, per-year split, instalments and payments."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pdvsolutions.errors import DomainError
from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Grant, Role
from pdvsolutions.services import grants
from pdvsolutions.timeutil import today

from .. import factories
from .. import factories_followup as ff
from ..conftest import count

D = ff.GRANT_DATE


@pytest.fixture
def world(app_ctx):
    w = ff.follow_up_world()
    w["staff"] = factories.make_user(Role.STAFF)
    return w


def _grant(w, proposal=None, amount=1_200_000, reason=None, years=None):
    proposal = proposal or w["funded"]
    return grants.record_grant(proposal, w["staff"], reference="DEL-2026-01", decided_on=D,
                               amount_cents=amount, adjustment_reason=reason,
                               years=years or [(2026, amount)])


def test_grant_records_requested_amount_and_audits(world):
    grant = _grant(world)
    assert grant.amount_cents == 1_200_000 and grant.years[0].year == 2026
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "grant.create" in actions


def test_grant_over_envelope_refused(world):
    big = ff.make_proposal(world["round"], world["org"], title="Grand projet",
                           requested_cents=4_000_000)
    _grant(world)
    with pytest.raises(DomainError, match="enveloppe"):
        _grant(world, big, amount=4_000_000)
    assert count(Grant) == 1


def test_grant_adjustment_needs_a_reason(world):
    with pytest.raises(DomainError) as error:
        _grant(world, amount=1_000_000)
    assert error.value.field == "adjustment_reason"
    assert _grant(world, amount=1_000_000, reason="Budget de communication réduit")


def test_grant_split_must_add_up(world):
    with pytest.raises(DomainError) as error:
        _grant(world, years=[(2026, 600_000), (2027, 500_000)])
    assert error.value.field == "years"


def test_grant_split_years_must_follow_the_convention(world):
    with pytest.raises(DomainError):
        _grant(world, years=[(2025, 1_200_000)])


def test_grant_refused_for_unfunded_proposal(world):
    with pytest.raises(DomainError):
        _grant(world, world["unfunded"])


def test_grant_refused_outside_follow_up(app_ctx):
    w = ff.follow_up_world(ff.Phase.RESULTS)
    w["staff"] = factories.make_user(Role.STAFF)
    with pytest.raises(DomainError):
        _grant(w)


def test_grant_refused_twice(world):
    _grant(world)
    with pytest.raises(DomainError):
        _grant(world)


def test_payments_never_exceed_grant(world):
    grant = _grant(world)
    grants.plan_payment(grant, world["staff"], planned_on=D, amount_cents=800_000,
                        condition="À la signature")
    with pytest.raises(DomainError):
        grants.plan_payment(grant, world["staff"], planned_on=D + timedelta(days=90),
                            amount_cents=500_000, condition="Sur bilan")
    assert grant.planned_cents == 800_000


def test_payment_before_convention_refused(world):
    grant = _grant(world)
    with pytest.raises(DomainError) as error:
        grants.plan_payment(grant, world["staff"], planned_on=D - timedelta(days=1),
                            amount_cents=100, condition="x")
    assert error.value.field == "planned_on"


def test_payment_marked_paid_once_and_not_in_future(world):
    grant = _grant(world)
    payment = grants.plan_payment(grant, world["staff"], planned_on=D, amount_cents=400_000,
                                  condition="À la signature")
    with pytest.raises(DomainError):
        grants.record_paid(payment, world["staff"], today() + timedelta(days=1))
    grants.record_paid(payment, world["staff"], D)
    with pytest.raises(DomainError):
        grants.record_paid(payment, world["staff"], D)
    assert grant.paid_cents == 400_000


def test_totals_per_organisation_and_year(world):
    _grant(world, years=[(2026, 700_000), (2027, 500_000)])
    other_org = ff.make_organization("Régie Nord")
    second = ff.make_proposal(world["round"], other_org, title="Nettoyage",
                              requested_cents=300_000)
    _grant(world, second, amount=300_000)
    totals = grants.totals(world["round"])
    assert totals.granted_cents == 1_500_000
    assert totals.by_year == [(2026, 1_000_000), (2027, 500_000)]
    assert totals.by_organization == [("Association Horizon", 1_200_000, 0),
                                      ("Régie Nord", 300_000, 0)]


def test_decided_on_in_future_refused(world):
    with pytest.raises(DomainError):
        grants.record_grant(world["funded"], world["staff"], reference="X",
                            decided_on=today() + timedelta(days=3), amount_cents=1_200_000,
                            adjustment_reason=None, years=[(today().year, 1_200_000)])
