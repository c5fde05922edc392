"""Needs keep their number of supports; indexes that the paginated lists read in order.

The public list sorts by supports: counting every need's supports on each page grew with the
table (issue 9). ``needs.support_count`` is filled from ``supports`` here and kept by the
services in the same transaction as the supports.

Revision ID: 0011
Revises: 0010_secrecy
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010_secrecy"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("support_count", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.create_check_constraint(op.f("ck_needs_support_count_not_negative"),
                                        "support_count >= 0")
        batch_op.create_index("ix_needs_round_supports",
                              ["round_id", "support_count", "created_at", "id"], unique=False)
        batch_op.create_index("ix_needs_round_created", ["round_id", "created_at", "id"],
                              unique=False)
    op.execute("UPDATE needs SET support_count = "
               "(SELECT count(*) FROM supports WHERE supports.need_id = needs.id)")


def downgrade():
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index("ix_needs_round_created")
        batch_op.drop_index("ix_needs_round_supports")
        batch_op.drop_constraint(op.f("ck_needs_support_count_not_negative"), type_="check")
        batch_op.drop_column("support_count")
