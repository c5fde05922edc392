"""voting: voter rolls (frozen at the vote's opening), secret ballots on a hash chain, results

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:35:30.845164

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tracker', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('on_paper', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_ballots_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('hash', name=op.f('uq_ballots_hash')),
    sa.UniqueConstraint('round_id', 'position', name='uq_ballots_round_position'),
    sa.UniqueConstraint('tracker', name=op.f('uq_ballots_tracker'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballots_round_id'), ['round_id'], unique=False)

    op.create_table('round_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.Enum('greedy', 'equal_shares', name='tallyrule', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('selected', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('scores', sa.Text(), nullable=False),
    sa.Column('spent_cents', sa.BigInteger(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_results_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_results')),
    sa.UniqueConstraint('round_id', name=op.f('uq_round_results_round_id'))
    )
    op.create_table('voter_rolls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_voter_rolls_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voter_rolls')),
    sa.UniqueConstraint('round_id', name=op.f('uq_voter_rolls_round_id'))
    )
    op.create_table('ballot_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.CheckConstraint('points > 0', name=op.f('ck_ballot_lines_points_positive')),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_lines_ballot_id_ballots')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_ballot_lines_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_lines')),
    sa.UniqueConstraint('ballot_id', 'proposal_id', name='uq_ballot_lines_proposal')
    )
    with op.batch_alter_table('ballot_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_lines_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_lines_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('voter_roll_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.Column('college', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['roll_id'], ['voter_rolls.id'], name=op.f('fk_voter_roll_entries_roll_id_voter_rolls')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_voter_roll_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voter_roll_entries')),
    sa.UniqueConstraint('roll_id', 'pseudonym', name='uq_voter_roll_entries_pseudonym'),
    sa.UniqueConstraint('roll_id', 'user_id', name='uq_voter_roll_entries_user')
    )
    with op.batch_alter_table('voter_roll_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voter_roll_entries_roll_id'), ['roll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voter_roll_entries_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('voter_roll_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voter_roll_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_voter_roll_entries_roll_id'))

    op.drop_table('voter_roll_entries')
    with op.batch_alter_table('ballot_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_lines_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_lines_ballot_id'))

    op.drop_table('ballot_lines')
    op.drop_table('voter_rolls')
    op.drop_table('round_results')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballots_round_id'))

    op.drop_table('ballots')
