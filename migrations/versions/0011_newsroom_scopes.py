"""newsroom scopes: one site per organisation, organisations versioned, webhooks owned by one

Revision ID: 0011_newsroom_scopes
Revises: 0010_postings_by_key
Create Date: 2026-12-04 16:00:00

"""
import logging

from alembic import op
import sqlalchemy as sa

from factcheck.services.sources import normalise_site


# revision identifiers, used by Alembic.
revision = '0011_newsroom_scopes'
down_revision = '0010_postings_by_key'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    _normalise_sites()
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_organisations_site'), ['site'])

    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_webhooks_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_webhooks_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'])
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
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_webhooks_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_webhooks_organisation_id'))
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organisations_site'), type_='unique')
        batch_op.drop_column('version')
