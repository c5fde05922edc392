"""Anti-appel à projets (funds, ledger, challenges, sourcing, sprints, decisions) and CPO
(multi-year agreements, tranches, annual reviews).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 18:37:24.416841

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('funder', sa.String(length=160), nullable=False),
    sa.Column('total_cents', sa.BigInteger(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_funds_period_ordered')),
    sa.CheckConstraint('total_cents > 0', name=op.f('ck_funds_total_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funds')),
    sa.UniqueConstraint('name', name=op.f('uq_funds_name'))
    )
    op.create_table('challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('partner_kind', sa.Enum('state', 'metropole', 'commune', 'landlord', 'association', 'other', name='partnerkind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('partner_name', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_challenges_territory_id_territories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenges'))
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenges_territory_id'), ['territory_id'], unique=False)

    op.create_table('multi_year_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('yearly_cents', sa.BigInteger(), nullable=False),
    sa.Column('objectives', sa.String(length=4000), nullable=False),
    sa.Column('indicators', sa.String(length=2000), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('yearly_cents > 0', name=op.f('ck_multi_year_agreements_yearly_positive')),
    sa.CheckConstraint('years BETWEEN 3 AND 5', name=op.f('ck_multi_year_agreements_years_range')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_multi_year_agreements_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_multi_year_agreements')),
    sa.UniqueConstraint('reference', name=op.f('uq_multi_year_agreements_reference'))
    )
    with op.batch_alter_table('multi_year_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_multi_year_agreements_organization_id'), ['organization_id'], unique=False)

    op.create_table('prospects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.Enum('spotted', 'contacted', 'sprint', 'pitched', 'funded', 'declined', 'dropped', name='prospectstatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_prospects_challenge_id_challenges')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_prospects_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prospects')),
    sa.UniqueConstraint('challenge_id', 'organization_id', name='uq_prospects_challenge_org')
    )
    with op.batch_alter_table('prospects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prospects_challenge_id'), ['challenge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prospects_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prospects_status'), ['status'], unique=False)

    op.create_table('contact_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.String(length=1000), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_contact_entries_author_id_users')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_contact_entries_prospect_id_prospects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_entries'))
    )
    with op.batch_alter_table('contact_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_entries_prospect_id'), ['prospect_id'], unique=False)

    op.create_table('sprints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('length_days', sa.Integer(), nullable=False),
    sa.Column('coach', sa.String(length=120), nullable=False),
    sa.Column('prototype', sa.String(length=4000), nullable=False),
    sa.Column('indicators', sa.String(length=2000), nullable=False),
    sa.Column('deliverables_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length_days BETWEEN 1 AND 90', name=op.f('ck_sprints_length_range')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_sprints_prospect_id_prospects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sprints')),
    sa.UniqueConstraint('prospect_id', name=op.f('uq_sprints_prospect_id'))
    )
    op.create_table('agreement_tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('year_index', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('planned_cents', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'released', 'reduced', 'suspended', name='tranchestatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('released_cents', sa.BigInteger(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('planned_cents > 0', name=op.f('ck_agreement_tranches_planned_positive')),
    sa.CheckConstraint('released_cents >= 0', name=op.f('ck_agreement_tranches_released_not_negative')),
    sa.ForeignKeyConstraint(['agreement_id'], ['multi_year_agreements.id'], name=op.f('fk_agreement_tranches_agreement_id_multi_year_agreements')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_agreement_tranches_grant_id_grants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_tranches')),
    sa.UniqueConstraint('agreement_id', 'year_index', name='uq_agreement_tranches_year'),
    sa.UniqueConstraint('grant_id', name=op.f('uq_agreement_tranches_grant_id'))
    )
    with op.batch_alter_table('agreement_tranches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_tranches_year'), ['year'], unique=False)

    op.create_table('fund_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('commitment', 'payment', 'release', name='fundentrykind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_fund_entries_amount_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_fund_entries_created_by_id_users')),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_fund_entries_fund_id_funds')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_fund_entries_grant_id_grants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_entries'))
    )
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_entries_fund_id'), ['fund_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_entries_grant_id'), ['grant_id'], unique=False)

    op.create_table('funding_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=160), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.Enum('funded', 'declined', name='decisionoutcome', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome <> 'funded' OR amount_cents > 0", name=op.f('ck_funding_decisions_funded_has_amount')),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_funding_decisions_amount_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_funding_decisions_created_by_id_users')),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_funding_decisions_fund_id_funds')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_funding_decisions_grant_id_grants')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_funding_decisions_prospect_id_prospects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_decisions')),
    sa.UniqueConstraint('grant_id', name=op.f('uq_funding_decisions_grant_id'))
    )
    with op.batch_alter_table('funding_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_decisions_fund_id'), ['fund_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_decisions_prospect_id'), ['prospect_id'], unique=False)

    op.create_table('sprint_budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sprint_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('account', sa.String(length=6), nullable=False),
    sa.Column('label', sa.String(length=160), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("side IN ('charge', 'income')", name=op.f('ck_sprint_budget_lines_side_known')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_sprint_budget_lines_amount_positive')),
    sa.ForeignKeyConstraint(['sprint_id'], ['sprints.id'], name=op.f('fk_sprint_budget_lines_sprint_id_sprints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sprint_budget_lines'))
    )
    with op.batch_alter_table('sprint_budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sprint_budget_lines_sprint_id'), ['sprint_id'], unique=False)

    op.create_table('sprint_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sprint_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('kickoff', 'midpoint', 'pitch', name='checkpointkind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['sprint_id'], ['sprints.id'], name=op.f('fk_sprint_checkpoints_sprint_id_sprints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sprint_checkpoints')),
    sa.UniqueConstraint('sprint_id', 'kind', name='uq_sprint_checkpoints_kind')
    )
    op.create_table('sprint_journal_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sprint_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_sprint_journal_entries_author_id_users')),
    sa.ForeignKeyConstraint(['sprint_id'], ['sprints.id'], name=op.f('fk_sprint_journal_entries_sprint_id_sprints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sprint_journal_entries'))
    )
    with op.batch_alter_table('sprint_journal_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sprint_journal_entries_sprint_id'), ['sprint_id'], unique=False)

    op.create_table('annual_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tranche_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('indicators_achieved', sa.String(length=2000), nullable=False),
    sa.Column('assessment', sa.String(length=2000), nullable=False),
    sa.Column('decision', sa.Enum('released', 'reduced', 'suspended', name='reviewdecision', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision <> 'reduced' OR reason <> ''", name=op.f('ck_annual_reviews_reduced_has_reason')),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_annual_reviews_amount_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_annual_reviews_created_by_id_users')),
    sa.ForeignKeyConstraint(['tranche_id'], ['agreement_tranches.id'], name=op.f('fk_annual_reviews_tranche_id_agreement_tranches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_reviews')),
    sa.UniqueConstraint('tranche_id', name=op.f('uq_annual_reviews_tranche_id'))
    )


def downgrade():
    op.drop_table('annual_reviews')
    with op.batch_alter_table('sprint_journal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sprint_journal_entries_sprint_id'))

    op.drop_table('sprint_journal_entries')
    op.drop_table('sprint_checkpoints')
    with op.batch_alter_table('sprint_budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sprint_budget_lines_sprint_id'))

    op.drop_table('sprint_budget_lines')
    with op.batch_alter_table('funding_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_decisions_prospect_id'))
        batch_op.drop_index(batch_op.f('ix_funding_decisions_fund_id'))

    op.drop_table('funding_decisions')
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_entries_grant_id'))
        batch_op.drop_index(batch_op.f('ix_fund_entries_fund_id'))

    op.drop_table('fund_entries')
    with op.batch_alter_table('agreement_tranches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_tranches_year'))

    op.drop_table('agreement_tranches')
    op.drop_table('sprints')
    with op.batch_alter_table('contact_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_entries_prospect_id'))

    op.drop_table('contact_entries')
    with op.batch_alter_table('prospects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prospects_status'))
        batch_op.drop_index(batch_op.f('ix_prospects_organization_id'))
        batch_op.drop_index(batch_op.f('ix_prospects_challenge_id'))

    op.drop_table('prospects')
    with op.batch_alter_table('multi_year_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_multi_year_agreements_organization_id'))

    op.drop_table('multi_year_agreements')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenges_territory_id'))

    op.drop_table('challenges')
    op.drop_table('funds')
