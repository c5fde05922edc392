"""Schema guarantees of issue 4 on PostgreSQL: money checks and unique SIRET hold in the base."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pdvsolutions.extensions import db
from pdvsolutions.models import BudgetLine, Organization, Proposal

from .. import factories_proposals as fp

pytestmark = pytest.mark.postgres


def test_negative_budget_line_is_refused_by_postgres(pg_app):
    with pg_app.app_context():
        user, organization = fp.operator_with_org()
        proposal = fp.make_proposal(organization, fp.make_round())
        db.session.commit()
        db.session.add(BudgetLine(proposal_id=proposal.id, account="60", label="x",
                                  amount_cents=-1))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 2


def test_unknown_account_is_refused_by_postgres(pg_app):
    with pg_app.app_context():
        user, organization = fp.operator_with_org()
        proposal = fp.make_proposal(organization, fp.make_round())
        db.session.commit()
        db.session.add(BudgetLine(proposal_id=proposal.id, account="99", label="x",
                                  amount_cents=100))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_same_siret_twice_is_refused_by_postgres(pg_app):
    with pg_app.app_context():
        organization = fp.make_org()
        db.session.commit()
        db.session.add(Organization(name="Copie", legal_form="association",
                                    siret=organization.siret))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0
