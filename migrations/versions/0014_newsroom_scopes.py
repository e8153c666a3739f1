"""newsroom scopes: one site per organisation, organisations versioned, webhooks owned by one

Revision ID: 0014_newsroom_scopes
Revises: 0013_link_queue
Create Date: 2026-12-04 16:00:00

"""
import logging

import sqlalchemy as sa
from alembic import op

from factcheck.services.claims.sources import normalise_site

# revision identifiers, used by Alembic.
revision = '0014_newsroom_scopes'
down_revision = '0013_link_queue'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    _normalise_sites()
    op.add_column('organisations', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.create_index(op.f('ix_organisations_site'), 'organisations', ['site'], unique=True)
    if op.get_context().dialect.name == "sqlite":
        # Added with its constraint in place: batch mode would copy the table and drop the
        # old one, which empties webhook_deliveries through their ON DELETE CASCADE.
        op.execute("ALTER TABLE webhooks ADD COLUMN organisation_id INTEGER CONSTRAINT "
                   "fk_webhooks_organisation_id_organisations REFERENCES organisations (id)")
    else:
        op.add_column('webhooks', sa.Column('organisation_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_webhooks_organisation_id_organisations'), 'webhooks', 'organisations',
                              ['organisation_id'], ['id'])
    op.create_index(op.f('ix_webhooks_organisation_id'), 'webhooks', ['organisation_id'], unique=False)
    _give_webhooks_organisations()


def _normalise_sites():
    """Sites as normalise_site gives them. Where two newsrooms named one site, the older keeps
    it and the others lose it (they can read, not publish) until an operator sets theirs."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, name, site FROM organisations WHERE site IS NOT NULL ORDER BY id")).all()
    owners: dict[str, str] = {}
    for organisation_id, name, site in rows:
        normalised = normalise_site(site) or None
        if normalised in owners:
            log.warning("Organisation %r shared the site %s with %r: its site is cleared; set it with "
                        "`flask set-site`.", name, normalised, owners[normalised])
            normalised = None
        elif normalised:
            owners[normalised] = name
        if normalised != site:
            connection.execute(sa.text("UPDATE organisations SET site = :site WHERE id = :id"),
                               {"site": normalised, "id": organisation_id})


def _give_webhooks_organisations():
    """A webhook goes to the newsroom of the admin who registered it, when one newsroom has an
    admin of that name; otherwise it stays with the operators."""
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE webhooks SET organisation_id = ("
        " SELECT MIN(users.organisation_id) FROM users"
        " WHERE users.name = webhooks.created_by AND users.role = 'admin')"
        " WHERE (SELECT COUNT(DISTINCT users.organisation_id) FROM users"
        " WHERE users.name = webhooks.created_by AND users.role = 'admin') = 1"))


def downgrade():
    op.drop_index(op.f('ix_webhooks_organisation_id'), table_name='webhooks')
    if op.get_context().dialect.name == "sqlite":
        # SQLite drops a column with a foreign key only by copying the table, whose old copy's
        # drop would empty webhook_deliveries (ON DELETE CASCADE) were foreign keys enforced
        # (migrations/env.py turns them off): they are kept aside meanwhile.
        op.execute("CREATE TEMPORARY TABLE kept_deliveries AS SELECT * FROM webhook_deliveries")
        with op.batch_alter_table('webhooks', schema=None) as batch_op:
            batch_op.drop_column('organisation_id')
        op.execute("INSERT INTO webhook_deliveries SELECT * FROM kept_deliveries "
                   "WHERE id NOT IN (SELECT id FROM webhook_deliveries)")
        op.execute("DROP TABLE kept_deliveries")
    else:
        op.drop_constraint(op.f('fk_webhooks_organisation_id_organisations'), 'webhooks', type_='foreignkey')
        op.drop_column('webhooks', 'organisation_id')
    op.drop_index(op.f('ix_organisations_site'), table_name='organisations')
    op.drop_column('organisations', 'version')
