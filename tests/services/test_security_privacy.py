"""Retention: accounts inactive for the configured period are anonymised, others kept."""

from datetime import timedelta

import pytest

from pdvsolutions.errors import DomainError
from pdvsolutions.extensions import db
from pdvsolutions.models import Role
from pdvsolutions.services import privacy
from pdvsolutions.timeutil import utcnow

from .. import factories
from ..factories_security import make_need


def aged(role, years_ago: float, **fields):
    return factories.make_user(role, last_login_at=utcnow() - timedelta(days=365.25 * years_ago),
                               **fields)


def test_retention_anonymises_residents_inactive_for_three_years(app_ctx):
    old = aged(Role.RESIDENT, 3.1)
    need = make_need(old)
    assert privacy.anonymise_inactive(3) == 1
    assert old.email is None and not old.is_enabled
    assert need.author_id is None


def test_retention_keeps_recent_accounts(app_ctx):
    recent = aged(Role.RESIDENT, 2.9)
    privacy.anonymise_inactive(3)
    assert recent.email is not None


def test_retention_leaves_staff_accounts_to_administrators(app_ctx):
    staff = aged(Role.STAFF, 5)
    privacy.anonymise_inactive(3)
    assert staff.email is not None


def test_retention_period_is_configurable(app_ctx):
    old = aged(Role.OPERATOR, 1.5)
    assert privacy.anonymise_inactive(1) == 1
    assert old.first_name == ""


def test_retention_uses_creation_date_when_never_logged_in(app_ctx):
    invited = factories.make_user(Role.RESIDENT, password=False,
                                  created_at=utcnow() - timedelta(days=4 * 365))
    privacy.anonymise_inactive(3)
    assert invited.email is None


def test_retention_counts_each_account_once(app_ctx):
    aged(Role.RESIDENT, 4)
    privacy.anonymise_inactive(3)
    assert privacy.anonymise_inactive(3) == 0


def test_retention_refuses_less_than_a_year(app_ctx):
    with pytest.raises(DomainError):
        privacy.anonymise_inactive(0)


def test_retention_command_reports_the_count(app):
    with app.app_context():
        aged(Role.RESIDENT, 4)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["accounts", "anonymise-inactive", "--years", "3"])
    assert "anonymised 1 account(s)" in result.output


def test_retention_cutoff_of_a_leap_day_is_the_28th():
    from datetime import UTC, datetime

    assert privacy.retention_cutoff(datetime(2028, 2, 29, tzinfo=UTC), 3).day == 28
