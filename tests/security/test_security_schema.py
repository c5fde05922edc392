"""Every "one per …" rule of DESIGN.md §7 is a database unique constraint."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db

ONE_PER = [
    ("signins", {"round_id", "user_id"}),  # one sign-in (hence one ballot) per member per round
    ("supports", {"need_id", "user_id"}),  # one support per resident per need
    ("evaluations", {"proposal_id", "user_id"}),  # one evaluation per voter per proposal
]


@pytest.mark.parametrize(("table", "columns"), ONE_PER, ids=[t for t, _ in ONE_PER])
def test_schema_one_per_rule_is_unique_in_metadata(app, table, columns):
    constraints = [c for c in db.metadata.tables[table].constraints
                   if isinstance(c, sa.UniqueConstraint)]
    assert columns in [{col.name for col in c.columns} for c in constraints]


@pytest.mark.parametrize(("table", "columns"), ONE_PER, ids=[t for t, _ in ONE_PER])
def test_schema_one_per_rule_is_unique_in_database(app, table, columns):
    with app.app_context():
        unique = sa.inspect(db.engine).get_unique_constraints(table)
    assert columns in [set(c["column_names"]) for c in unique]


def test_schema_signin_constraint_has_its_documented_name(app):
    with app.app_context():
        names = {c["name"] for c in sa.inspect(db.engine).get_unique_constraints("signins")}
    assert "uq_signins_round_member" in names
