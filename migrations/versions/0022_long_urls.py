"""articles: urls of up to 8192 characters, kept unique by their SHA-256 (url_key); urls recomputed, the platforms' tracking parameters stripped

Revision ID: 0022_long_urls
Revises: 0021_link_decisions
Create Date: 2026-12-04 22:00:00

"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_long_urls'
down_revision = '0021_link_decisions'
branch_labels = None
depends_on = None

BATCH = 5_000


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.alter_column('url', existing_type=sa.String(length=2048), type_=sa.String(length=8192),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('url_key', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    _fill_keys(connection)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.alter_column('url_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_articles_url_key'), ['url_key'])
        batch_op.drop_constraint(batch_op.f('uq_articles_url'), type_='unique')

    _recompute_urls(connection)


def _fill_keys(connection):
    from factcheck.identity import url_key

    last = 0
    while rows := connection.execute(sa.text("SELECT id, url FROM articles WHERE id > :last ORDER BY id LIMIT :n"),
                                     {"last": last, "n": BATCH}).all():
        last = rows[-1].id
        connection.execute(sa.text("UPDATE articles SET url_key = :key WHERE id = :id"),
                           [{"key": url_key(row.url), "id": row.id} for row in rows])


def _recompute_urls(connection):
    """Urls as identity.canonical_url now spells them (as 0015 did, by their keys now), rows
    that became one merged. An article with an analysed text is not merged into another (a
    text is kept per article): it keeps the url it was stored with."""
    from factcheck.identity import canonical_url, url_key

    one_record = _revision("0015_one_record")
    analysed = set(connection.scalars(sa.text("SELECT article_id FROM article_texts")))
    taken: set[str] = set()

    def article(row):
        try:
            url = canonical_url(row["url"])
        except ValueError:
            url = row["url"]  # not an http(s) url: left as it was stored
        key = url_key(url)
        if key != row["url_key"] and row["id"] in analysed and (key in taken or connection.scalar(
                sa.text("SELECT id FROM articles WHERE url_key = :key"), {"key": key}) is not None):
            return {"url_key": row["url_key"], "url": row["url"]}
        taken.add(key)
        return {"url_key": key, "url": url}

    one_record._merge(connection, "articles", "url_key", article, [("appearances", "article_id")],
                      fill=("title", "published_at"))
    one_record._refresh_summaries(connection, one_record._drop_repeated_appearances(connection))


def _revision(name: str):
    """Another revision's module, for the steps this one repeats."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade():
    longest = op.get_bind().scalar(sa.text("SELECT MAX(LENGTH(url)) FROM articles"))
    if longest is not None and longest > 2048:
        raise RuntimeError("Articles with urls longer than 2048 characters are stored: remove them (and their "
                           "appearances) before going back to 0021_link_decisions.")
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_articles_url'), ['url'])
        batch_op.drop_constraint(batch_op.f('uq_articles_url_key'), type_='unique')
        batch_op.drop_column('url_key')
        batch_op.alter_column('url', existing_type=sa.String(length=8192), type_=sa.String(length=2048),
                              existing_nullable=False)
