"""articles posted for analysis: their text, candidate claims, and each newsroom's decisions on them

Revision ID: 0020_articles
Revises: 0019_claim_vectors
Create Date: 2026-12-04 19:04:46

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_articles'
down_revision = '0019_claim_vectors'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('article_texts',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('scorer', sa.String(length=64), nullable=False),
    sa.Column('attributed', sa.Boolean(), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updates', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_texts_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_texts'))
    )
    op.create_table('article_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('claim', sa.Text(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('claimant', sa.String(length=200), nullable=True),
    sa.Column('stance', sa.String(length=8), nullable=False),
    sa.Column('checkworthiness', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article_texts.article_id'], name=op.f('fk_article_candidates_article_id_article_texts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_candidates'))
    )
    with op.batch_alter_table('article_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_candidates_article_id'), ['article_id'], unique=False)

    op.create_table('candidate_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=8), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['article_candidates.id'], name=op.f('fk_candidate_decisions_candidate_id_article_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_candidate_decisions_claim_id_claims'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_candidate_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_candidate_decisions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_decisions')),
    sa.UniqueConstraint('candidate_id', 'organisation_id', name=op.f('uq_candidate_decisions_candidate_id'))
    )
    with op.batch_alter_table('candidate_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_decisions_organisation_id'), ['organisation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('candidate_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_decisions_organisation_id'))

    op.drop_table('candidate_decisions')
    with op.batch_alter_table('article_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_candidates_article_id'))

    op.drop_table('article_candidates')
    op.drop_table('article_texts')
