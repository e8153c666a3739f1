"""claims' sentence vectors, one per claim and model

Revision ID: 0019_claim_vectors
Revises: 0018_claim_edits
Create Date: 2026-12-04 19:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_claim_vectors'
down_revision = '0018_claim_edits'
branch_labels = None
depends_on = None


def upgrade():
    # Claims stored before are embedded by `flask embed-claims`; until then they match by words.
    op.create_table('claim_vectors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_vectors_claim_id_claims'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_vectors')),
    sa.UniqueConstraint('claim_id', 'model', name='uq_claim_vectors_claim_model')
    )
    op.create_index('ix_claim_vectors_model_id', 'claim_vectors', ['model', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_claim_vectors_model_id', table_name='claim_vectors')
    op.drop_table('claim_vectors')
