"""the review queue reads links of one status by score or by id from an index

Revision ID: 0013_link_queue
Revises: 0012_verdict_signatures
Create Date: 2026-12-04 16:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_link_queue'
down_revision = '0012_verdict_signatures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claim_links', schema=None) as batch_op:
        batch_op.create_index('ix_claim_links_queue_score', ['status', 'score', 'id'], unique=False)
        batch_op.create_index('ix_claim_links_queue_newest', ['status', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('claim_links', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_links_queue_newest')
        batch_op.drop_index('ix_claim_links_queue_score')
