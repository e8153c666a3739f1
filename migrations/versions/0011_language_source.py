"""claims.language_source: whether a claim's language was given or detected

Revision ID: 0011_language_source
Revises: 0010_postings_by_key
Create Date: 2026-12-04 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_language_source'
down_revision = '0010_postings_by_key'
branch_labels = None
depends_on = None


def upgrade():
    # Claims stored so far are "unknown", not "given": a claim created without a language,
    # and every imported review without inLanguage, was stored as "en", and the two cannot
    # be told apart now. `flask detect-languages` detects them from their text.
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("language_source", sa.String(length=8), server_default="unknown",
                                   nullable=False))


def downgrade():
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("language_source")
