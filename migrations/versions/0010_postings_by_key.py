"""postings read from their primary key alone; the covering index that copied it is gone

Revision ID: 0010_postings_by_key
Revises: 0009_idempotency_atomic
Create Date: 2026-11-25 09:35:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_postings_by_key'
down_revision = '0009_idempotency_atomic'
branch_labels = None
depends_on = None


def upgrade():
    # Each posting was written to the table, its key, its claim_id index and a covering
    # index that repeated the key with the weight. Now the key carries the weight.
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE claim_terms DROP CONSTRAINT pk_claim_terms, "
                   "ADD CONSTRAINT pk_claim_terms PRIMARY KEY (term_id, claim_id) INCLUDE (weight)")
        op.drop_index('ix_claim_terms_covering', table_name='claim_terms')
        return
    # SQLite: the table itself becomes the key's b-tree (WITHOUT ROWID), copied over.
    with op.batch_alter_table('claim_terms', recreate='always',
                              table_kwargs={'sqlite_with_rowid': False}) as batch_op:
        batch_op.drop_index('ix_claim_terms_covering')


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE claim_terms DROP CONSTRAINT pk_claim_terms, "
                   "ADD CONSTRAINT pk_claim_terms PRIMARY KEY (term_id, claim_id)")
    else:
        with op.batch_alter_table('claim_terms', recreate='always', table_kwargs={'sqlite_with_rowid': True}):
            pass
    op.create_index('ix_claim_terms_covering', 'claim_terms', ['term_id', 'claim_id', 'weight'], unique=False)
