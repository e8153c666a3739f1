"""link_decisions: the link decision refitted on an instance's own decisions

Revision ID: 0021_link_decisions
Revises: 0020_articles
Create Date: 2026-12-04 19:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_link_decisions'
down_revision = '0020_articles'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'link_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=48), nullable=False),
        sa.Column('model', sa.Text(), nullable=False),
        sa.Column('decisions', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_link_decisions')),
        sa.UniqueConstraint('version', name=op.f('uq_link_decisions_version')),
    )


def downgrade():
    op.drop_table('link_decisions')
