"""Needs area: per-year envelope split, need moderation columns (hidden reason, merge link, call wording) and need revisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:17:18.245763

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_year_splits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('year_index', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_round_year_splits_amount_not_negative')),
    sa.CheckConstraint('year_index BETWEEN 1 AND 3', name=op.f('ck_round_year_splits_year_index_range')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_year_splits_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_year_splits')),
    sa.UniqueConstraint('round_id', 'year_index', name='uq_round_year_splits_year')
    )
    with op.batch_alter_table('round_year_splits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_year_splits_round_id'), ['round_id'], unique=False)

    op.create_table('need_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('by_staff', sa.Boolean(), nullable=False),
    sa.Column('old_title', sa.String(length=120), nullable=False),
    sa.Column('old_description', sa.Text(), nullable=False),
    sa.Column('old_field_label', sa.String(length=80), nullable=False),
    sa.Column('old_place', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_need_revisions_changed_by_id_users')),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_revisions_need_id_needs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_revisions'))
    )
    with op.batch_alter_table('need_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_revisions_need_id'), ['need_id'], unique=False)

    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('call_title', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('call_description', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('retained_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_needs_merged_into_id_needs'), 'needs', ['merged_into_id'], ['id'])



def downgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_needs_merged_into_id_needs'), type_='foreignkey')
        batch_op.drop_column('retained_at')
        batch_op.drop_column('call_description')
        batch_op.drop_column('call_title')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('hidden_reason')

    with op.batch_alter_table('need_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_revisions_need_id'))

    op.drop_table('need_revisions')
    with op.batch_alter_table('round_year_splits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_year_splits_round_id'))

    op.drop_table('round_year_splits')
