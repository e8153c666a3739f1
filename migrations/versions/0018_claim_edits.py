"""claims: a version for If-Match, removal by an editor, demand; verdicts: why withdrawn

Revision ID: 0018_claim_edits
Revises: 0017_pending_links
Create Date: 2026-12-04 17:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_claim_edits'
down_revision = '0017_pending_links'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('asked', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('asked_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_claims_demand_order', ['asked', 'id'], unique=False)
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_reason')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_demand_order')
        batch_op.drop_column('asked_at')
        batch_op.drop_column('asked')
        batch_op.drop_column('removed_reason')
        batch_op.drop_column('removed_at')
        batch_op.drop_column('version')
