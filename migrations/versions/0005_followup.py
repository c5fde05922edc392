"""Follow-up: grant per-year split, payment recorder, progress reports with indicators and
budget lines, evaluations (one per voter and action), kept action outcomes, need origins.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:34:37.620708

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('renew_yes', sa.Integer(), nullable=False),
    sa.Column('renew_no', sa.Integer(), nullable=False),
    sa.Column('renew_dont_know', sa.Integer(), nullable=False),
    sa.Column('sum_answers_need', sa.Integer(), nullable=False),
    sa.Column('sum_quality', sa.Integer(), nullable=False),
    sa.Column('sum_reach', sa.Integer(), nullable=False),
    sa.Column('sum_relation', sa.Integer(), nullable=False),
    sa.Column('renewed', sa.Boolean(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_action_outcomes_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_action_outcomes_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_outcomes')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_action_outcomes_proposal_id'))
    )
    with op.batch_alter_table('action_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_outcomes_round_id'), ['round_id'], unique=False)

    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answers_need', sa.SmallInteger(), nullable=False),
    sa.Column('quality', sa.SmallInteger(), nullable=False),
    sa.Column('reach', sa.SmallInteger(), nullable=False),
    sa.Column('relation', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('renew', sa.Enum('yes', 'no', 'dont_know', name='renew', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('on_paper', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('comment_status', sa.Enum('visible', 'hidden', name='commentstatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('comment_hidden_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('answers_need BETWEEN 1 AND 5 AND quality BETWEEN 1 AND 5 AND reach BETWEEN 1 AND 5 AND relation BETWEEN 1 AND 5', name=op.f('ck_evaluations_ratings_range')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_evaluations_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_evaluations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_evaluations_round_id_rounds')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evaluations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations')),
    sa.UniqueConstraint('proposal_id', 'user_id', name='uq_evaluations_proposal_user')
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_user_id'), ['user_id'], unique=False)

    op.create_table('progress_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('interim', 'final', name='reportkind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('done', sa.Text(), nullable=False),
    sa.Column('people_reached', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'acknowledged', 'more_requested', name='reportstatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('staff_comment', sa.String(length=1000), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('people_reached >= 0', name=op.f('ck_progress_reports_people_not_negative')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_progress_reports_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_progress_reports_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_progress_reports_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_reports'))
    )
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_reports_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('grant_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_grant_years_amount_positive')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_grant_years_year_range')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_years_grant_id_grants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_years')),
    sa.UniqueConstraint('grant_id', 'year', name='uq_grant_years_grant_year')
    )
    with op.batch_alter_table('grant_years', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_years_grant_id'), ['grant_id'], unique=False)

    op.create_table('need_origins',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('previous_round_id', sa.Integer(), nullable=False),
    sa.Column('previous_proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_origins_need_id_needs')),
    sa.ForeignKeyConstraint(['previous_proposal_id'], ['proposals.id'], name=op.f('fk_need_origins_previous_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['previous_round_id'], ['rounds.id'], name=op.f('fk_need_origins_previous_round_id_rounds')),
    sa.PrimaryKeyConstraint('need_id', name=op.f('pk_need_origins'))
    )
    op.create_table('report_budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('account_code', sa.String(length=4), nullable=False),
    sa.Column('label', sa.String(length=160), nullable=False),
    sa.Column('planned_cents', sa.BigInteger(), nullable=False),
    sa.Column('actual_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('planned_cents >= 0 AND actual_cents >= 0', name=op.f('ck_report_budget_lines_amounts_not_negative')),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_report_budget_lines_report_id_progress_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_budget_lines'))
    )
    with op.batch_alter_table('report_budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_budget_lines_report_id'), ['report_id'], unique=False)

    op.create_table('report_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=160), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('achieved', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.CheckConstraint('target >= 0 AND achieved >= 0', name=op.f('ck_report_indicators_values_not_negative')),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_report_indicators_report_id_progress_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_indicators'))
    )
    with op.batch_alter_table('report_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_indicators_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adjustment_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_grants_created_by_id_users'), 'users', ['created_by_id'], ['id'])

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paid_recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payments_paid_recorded_by_id_users'), 'users', ['paid_recorded_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payments_paid_recorded_by_id_users'), type_='foreignkey')
        batch_op.drop_column('paid_recorded_by_id')

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grants_created_by_id_users'), type_='foreignkey')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('adjustment_reason')

    with op.batch_alter_table('report_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_indicators_report_id'))

    op.drop_table('report_indicators')
    with op.batch_alter_table('report_budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_budget_lines_report_id'))

    op.drop_table('report_budget_lines')
    op.drop_table('need_origins')
    with op.batch_alter_table('grant_years', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_years_grant_id'))

    op.drop_table('grant_years')
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_reports_proposal_id'))

    op.drop_table('progress_reports')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_user_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_round_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_proposal_id'))

    op.drop_table('evaluations')
    with op.batch_alter_table('action_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_outcomes_round_id'))

    op.drop_table('action_outcomes')
