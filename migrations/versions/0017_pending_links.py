"""claims waiting for the linker, which indexes and links them after their own transaction

Revision ID: 0017_pending_links
Revises: 0016_markup_kept
Create Date: 2026-12-04 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_pending_links'
down_revision = '0016_markup_kept'
branch_labels = None
depends_on = None


def upgrade():
    # Every claim stored so far was linked in its own transaction: nothing is pending.
    op.create_table('pending_links',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_pending_links_claim_id_claims'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_pending_links'))
    )


def downgrade():
    op.drop_table('pending_links')
