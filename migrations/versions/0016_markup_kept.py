"""what ClaimReview markup says, kept: claim dates, dates as published, a missing review date,
the name each review was signed with

Revision ID: 0016_markup_kept
Revises: 0015_one_record
Create Date: 2026-12-04 16:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_markup_kept'
down_revision = '0015_one_record'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("claim_date", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("claim_date_as_published", sa.String(length=40), nullable=True))
    with op.batch_alter_table("verdicts") as batch:
        batch.add_column(sa.Column("review_date_as_published", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("publisher_name", sa.String(length=200), nullable=True))
        batch.alter_column("review_date", existing_type=sa.DateTime(), nullable=True)
    # Each review stored so far was shown with its publisher's one name: it keeps showing it.
    op.execute("UPDATE verdicts SET publisher_name = "
               "(SELECT publishers.name FROM publishers WHERE publishers.id = verdicts.publisher_id)")


def downgrade():
    op.execute("UPDATE verdicts SET review_date = created_at WHERE review_date IS NULL")
    with op.batch_alter_table("verdicts") as batch:
        batch.alter_column("review_date", existing_type=sa.DateTime(), nullable=False)
        batch.drop_column("publisher_name")
        batch.drop_column("review_date_as_published")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("claim_date_as_published")
        batch.drop_column("claim_date")
