"""audit_entries: found by kind and id, for a claim's history of its links

Revision ID: 0024_history_lookup
Revises: 0023_console_sessions
Create Date: 2026-12-04 23:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_history_lookup'
down_revision = '0023_console_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_entity', ['entity', 'entity_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_entity')
