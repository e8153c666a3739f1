"""claims' link texts: the text as near-duplicate scoring compares it

Revision ID: 0008_link_texts
Revises: 0007_covering_postings
Create Date: 2026-11-25 07:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_link_texts'
down_revision = '0007_covering_postings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_text', sa.Text(), nullable=True))
    _fill_link_texts()
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.alter_column('link_text', existing_type=sa.Text(), nullable=False)


def _fill_link_texts(batch: int = 10_000):
    """Derived data, as the match index is: computed by the engine's own prepare(). A later
    change of prepare() (see matching.scoring.SCORER) needs a revision that recomputes it."""
    from factcheck.matching import prepare

    connection = op.get_bind()
    last = 0
    while rows := connection.execute(sa.text(
            "SELECT id, text FROM claims WHERE id > :last ORDER BY id LIMIT :n"), {"last": last, "n": batch}).all():
        connection.execute(sa.text("UPDATE claims SET link_text = :t WHERE id = :i"),
                           [{"t": prepare(text), "i": i} for i, text in rows])
        last = rows[-1][0]


def downgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_column('link_text')
