"""Fund ledger payments tied to their instalment; annual reviews record whether the residents'
evaluation was used; sprint budgets use the proposals' budget lines (two-digit accounts 60–68,
70–78, 86, 87, co-funder of 74 lines; no "side" column: the account gives it).

Existing sprint lines keep the first two digits of their account ("606" → "60"); the only
prefixes the old rule allowed that the chart has no line for, 69 and 79, become 65 and 75
(other current charges / income).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ACCOUNT_KNOWN = ("account IN ('60','61','62','63','64','65','66','67','68','70','71','72','73',"
                 "'74','75','76','77','78','86','87')")


def upgrade():
    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("residents_evaluation_used", sa.Boolean(), nullable=True))

    with op.batch_alter_table("fund_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_fund_entries_payment_id"),
                                          ["payment_id"])
        batch_op.create_foreign_key(batch_op.f("fk_fund_entries_payment_id_payments"),
                                    "payments", ["payment_id"], ["id"])

    lines = sa.table("sprint_budget_lines", sa.column("account", sa.String))
    op.execute(lines.update().values(account=sa.func.substr(lines.c.account, 1, 2)))
    op.execute(lines.update().where(lines.c.account == "69").values(account="65"))
    op.execute(lines.update().where(lines.c.account == "79").values(account="75"))
    with op.batch_alter_table("sprint_budget_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_sprint_budget_lines_side_known"), type_="check")
        batch_op.drop_column("side")
        batch_op.alter_column("account", existing_type=sa.VARCHAR(length=6),
                              type_=sa.String(length=2), existing_nullable=False)
        batch_op.add_column(sa.Column("funder", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column(
            "funder_status", sa.Enum("requested", "obtained", name="funderstatus",
                                     native_enum=False, create_constraint=True, length=24),
            nullable=True))
        batch_op.create_check_constraint(batch_op.f("ck_sprint_budget_lines_account_known"),
                                         ACCOUNT_KNOWN)


def downgrade():
    with op.batch_alter_table("sprint_budget_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_sprint_budget_lines_account_known"),
                                 type_="check")
        batch_op.drop_constraint(batch_op.f("ck_sprint_budget_lines_funderstatus"),
                                 type_="check")
        batch_op.drop_column("funder_status")
        batch_op.drop_column("funder")
        batch_op.alter_column("account", existing_type=sa.String(length=2),
                              type_=sa.VARCHAR(length=6), existing_nullable=False)
        batch_op.add_column(sa.Column("side", sa.VARCHAR(length=8), nullable=True))
    lines = sa.table("sprint_budget_lines", sa.column("account", sa.String),
                     sa.column("side", sa.String))
    op.execute(lines.update().values(side=sa.case(
        (sa.or_(lines.c.account.like("6%"), lines.c.account == "86"), "charge"),
        else_="income")))
    with op.batch_alter_table("sprint_budget_lines", schema=None) as batch_op:
        batch_op.alter_column("side", existing_type=sa.VARCHAR(length=8), nullable=False)
        batch_op.create_check_constraint(batch_op.f("ck_sprint_budget_lines_side_known"),
                                         "side IN ('charge', 'income')")

    with op.batch_alter_table("fund_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_fund_entries_payment_id_payments"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_fund_entries_payment_id"), type_="unique")
        batch_op.drop_column("payment_id")

    with op.batch_alter_table("annual_reviews", schema=None) as batch_op:
        batch_op.drop_column("residents_evaluation_used")
