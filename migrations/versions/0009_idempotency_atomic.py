"""idempotency keys commit with their request's writes and response

Revision ID: 0009_idempotency_atomic
Revises: 0008_link_texts
Create Date: 2026-11-25 09:05:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_idempotency_atomic'
down_revision = '0008_link_texts'
branch_labels = None
depends_on = None


def upgrade():
    # Before this revision a key was committed before its request ran, without a response,
    # and one left so by a killed worker was taken over after two minutes. Now a key commits
    # only with its response: drop those, as the earlier code would have done.
    op.execute("DELETE FROM idempotency_keys WHERE response_status IS NULL")


def downgrade():
    pass  # every key left has its response, which the earlier code replays as it is
