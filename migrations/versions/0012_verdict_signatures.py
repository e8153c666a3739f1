"""verdicts: when first published, and whether and by whom imported; each speaks for its newsroom's site

Revision ID: 0012_verdict_signatures
Revises: 0011_language_source
Create Date: 2026-12-04 16:00:00

"""
import sqlalchemy as sa
from alembic import op

from factcheck.services.claims.sources import normalise_site

# revision identifiers, used by Alembic.
revision = '0012_verdict_signatures'
down_revision = '0011_language_source'
branch_labels = None
depends_on = None

VERDICT = "audit_entries.entity = 'verdict' AND audit_entries.entity_id = verdicts.id"
# A verdict was published if it was stored published (its first entry is public) or
# published later; a withdrawn one that never was is a withdrawn draft.
WAS_PUBLISHED = (f"EXISTS (SELECT 1 FROM audit_entries WHERE {VERDICT} AND (audit_entries.action IN "
                 "('verdict.published', 'verdict.imported') OR (audit_entries.action = 'verdict.submitted' "
                 "AND audit_entries.private_to IS NULL)))")
PUBLISHED_AT = (f"COALESCE((SELECT MIN(audit_entries.at) FROM audit_entries WHERE {VERDICT} "
                "AND audit_entries.action = 'verdict.published'), verdicts.created_at)")
IMPORTED = f"EXISTS (SELECT 1 FROM audit_entries WHERE {VERDICT} AND audit_entries.action = 'verdict.imported')"
IMPORTER = (f"(SELECT MIN(audit_entries.organisation_id) FROM audit_entries WHERE {VERDICT} "
            "AND audit_entries.action = 'verdict.imported')")


def upgrade():
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('imported', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('imported_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_verdicts_imported_by_id_organisations'), 'organisations',
                                    ['imported_by_id'], ['id'])

    op.execute(f"UPDATE verdicts SET published_at = {PUBLISHED_AT} WHERE status = 'published' "
               f"OR (status = 'withdrawn' AND {WAS_PUBLISHED})")
    op.execute(f"UPDATE verdicts SET imported = true, imported_by_id = {IMPORTER} WHERE {IMPORTED}")

    # A verdict a newsroom signed with a site other than its own speaks for nobody it may
    # speak for: it is kept as an external review that newsroom imported.
    connection = op.get_bind()
    publishers = {site: id_ for id_, site in connection.execute(sa.text("SELECT id, site FROM publishers"))}
    for organisation_id, site in connection.execute(sa.text("SELECT id, site FROM organisations")).all():
        own = publishers.get(normalise_site(site)) if site else None
        query = ("UPDATE verdicts SET imported = true, imported_by_id = organisation_id, organisation_id = NULL "
                 "WHERE organisation_id = :organisation")
        if own is None:
            connection.execute(sa.text(query), {"organisation": organisation_id})
        else:
            connection.execute(sa.text(f"{query} AND publisher_id <> :own"),
                               {"organisation": organisation_id, "own": own})

def downgrade():
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_verdicts_imported_by_id_organisations'), type_='foreignkey')
        batch_op.drop_column('imported_by_id')
        batch_op.drop_column('imported')
        batch_op.drop_column('published_at')
