"""organisations and proposals: documents, members, CERFA-like proposal file, review

Existing rows get empty defaults for the new NOT NULL columns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:24:01.417468

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organization_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('statutes', 'directors', 'bank_details', 'accounts', 'other', name='documentkind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_path', sa.String(length=200), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_organization_documents_size_positive')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_organization_documents_organization_id_organizations')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_organization_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_documents')),
    sa.UniqueConstraint('stored_path', name=op.f('uq_organization_documents_stored_path'))
    )
    with op.batch_alter_table('organization_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_documents_organization_id'), ['organization_id'], unique=False)

    op.create_table('budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=2), nullable=False),
    sa.Column('label', sa.String(length=160), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('funder', sa.String(length=40), nullable=True),
    sa.Column('funder_status', sa.Enum('requested', 'obtained', name='funderstatus', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.CheckConstraint("account IN ('60','61','62','63','64','65','66','67','68','70','71','72','73','74','75','76','77','78','86','87')", name=op.f('ck_budget_lines_account_known')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_budget_lines_amount_positive')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_budget_lines_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_lines'))
    )
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_lines_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=160), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.CheckConstraint('target >= 0', name=op.f('ck_proposal_indicators_target_not_negative')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_indicators_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_indicators'))
    )
    with op.batch_alter_table('proposal_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_indicators_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposal_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_versions_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_versions')),
    sa.UniqueConstraint('proposal_id', 'number', name='uq_proposal_versions_number')
    )
    op.create_table('proposal_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('year_index', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_proposal_years_amount_not_negative')),
    sa.CheckConstraint('year_index BETWEEN 1 AND 5', name=op.f('ck_proposal_years_index_range')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_years_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_years')),
    sa.UniqueConstraint('proposal_id', 'year_index', name='uq_proposal_years_index')
    )
    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('eligible', 'not_eligible', 'revision_requested', name='decision', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_review_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_review_decisions_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decisions'))
    )
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_decisions_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('organization_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organization_members_invited_by_id_users'), 'users', ['invited_by_id'], ['id'])

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('legal_rep_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('legal_rep_role', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=30), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organizations_created_by_id_users'), 'users', ['created_by_id'], ['id'])

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objectives', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('target_public', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('beneficiaries', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('qpv_codes', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('start_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('human_means', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signer_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('signer_role', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revisions_requested', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('revision_deadline', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_proposals_created_by_id_users'), 'users', ['created_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposals_created_by_id_users'), type_='foreignkey')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('revision_deadline')
        batch_op.drop_column('revisions_requested')
        batch_op.drop_column('signed_at')
        batch_op.drop_column('signer_role')
        batch_op.drop_column('signer_name')
        batch_op.drop_column('human_means')
        batch_op.drop_column('end_on')
        batch_op.drop_column('start_on')
        batch_op.drop_column('qpv_codes')
        batch_op.drop_column('beneficiaries')
        batch_op.drop_column('target_public')
        batch_op.drop_column('description')
        batch_op.drop_column('objectives')

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organizations_created_by_id_users'), type_='foreignkey')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('legal_rep_role')
        batch_op.drop_column('legal_rep_name')
        batch_op.drop_column('address')

    with op.batch_alter_table('organization_members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organization_members_invited_by_id_users'), type_='foreignkey')
        batch_op.drop_column('created_at')
        batch_op.drop_column('invited_by_id')

    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decisions_proposal_id'))

    op.drop_table('review_decisions')
    op.drop_table('proposal_years')
    op.drop_table('proposal_versions')
    with op.batch_alter_table('proposal_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_indicators_proposal_id'))

    op.drop_table('proposal_indicators')
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_lines_proposal_id'))

    op.drop_table('budget_lines')
    with op.batch_alter_table('organization_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_documents_organization_id'))

    op.drop_table('organization_documents')
