"""one record per claimant, outlet, article and appearance: keys recomputed, rows that became one merged

Revision ID: 0015_one_record
Revises: 0014_newsroom_scopes
Create Date: 2026-12-04 16:10:00

"""
from datetime import UTC, datetime
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_one_record'
down_revision = '0014_newsroom_scopes'
branch_labels = None
depends_on = None

BATCH = 5_000


def upgrade():
    """Keys as the application now computes them (factcheck.identity, as 0008 uses the
    engine's own prepare()); a later change of those rules needs a revision that runs this again."""
    from factcheck.identity import canonical_url, display_name, normalise_site
    from factcheck.services.claims.sources import NAME_LENGTH, claimant_values

    def claimant(row):
        key, name = claimant_values(row["name"])
        return {"name_key": key, "name": name} if key else None

    def outlet(row):
        domain = normalise_site(row["domain"]) or row["domain"]
        return {"domain": domain, "name": display_name(row["name"])[:NAME_LENGTH] or domain}

    def article(row):
        try:
            url = canonical_url(row["url"])
        except ValueError:
            return {"url": row["url"]}  # not an http(s) url: left as it was stored
        return {"url": url if len(url) <= 2048 else row["url"]}

    connection = op.get_bind()
    _merge(connection, "claimants", "name_key", claimant, [("claims", "claimant_id"), ("appearances", "claimant_id")])
    _merge(connection, "outlets", "domain", outlet, [("articles", "outlet_id")])
    _merge(connection, "articles", "url", article, [("appearances", "article_id")], fill=("title", "published_at"))
    _refresh_summaries(connection, _drop_repeated_appearances(connection))


def _merge(connection, table: str, key: str, new_values, references, fill=()):
    """Give each row the values new_values(row) has for it (None: a row to drop, its
    references emptied). A row whose new key another row holds is merged into that one: its
    references repointed, its `fill` columns copied where the other has none, then deleted."""
    holder: dict[str, int] = {}  # a new key -> the row that took it in this run
    last = 0
    while rows := connection.execute(sa.text(f"SELECT * FROM {table} WHERE id > :last ORDER BY id LIMIT :n"),
                                     {"last": last, "n": BATCH}).mappings().all():
        last = rows[-1]["id"]
        updates, merges, drops = [], [], []
        for row in rows:
            values = new_values(row)
            if values is None:
                drops.append({"gone": row["id"]})
                continue
            new = values[key]
            kept = None
            if new != row[key]:
                kept = holder.get(new) or connection.scalar(
                    sa.text(f"SELECT id FROM {table} WHERE {key} = :key"), {"key": new})
            if kept is not None:
                merges.append({"gone": row["id"], "kept": kept})
                continue
            holder[new] = row["id"]
            if any(row[column] != value for column, value in values.items()):
                updates.append({**values, "id": row["id"]})
        if updates:
            assignments = ", ".join(f"{column} = :{column}" for column in updates[0] if column != "id")
            connection.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"), updates)
        for column in fill:
            if merges:
                connection.execute(sa.text(
                    f"UPDATE {table} SET {column} = (SELECT {column} FROM {table} WHERE id = :gone) "
                    f"WHERE id = :kept AND {column} IS NULL"), merges)
        for referring, column in references:
            if merges:
                connection.execute(sa.text(f"UPDATE {referring} SET {column} = :kept WHERE {column} = :gone"), merges)
            if drops:
                connection.execute(sa.text(f"UPDATE {referring} SET {column} = NULL WHERE {column} = :gone"), drops)
        if merges or drops:
            connection.execute(sa.text(f"DELETE FROM {table} WHERE id = :gone"), merges + drops)


def _drop_repeated_appearances(connection) -> set[int]:
    """One appearance per claim, article and claimant (the first recorded); returns the
    claims that had more."""
    first = {(claim_id, article_id, claimant_id): id_ for claim_id, article_id, claimant_id, id_ in connection.execute(
        sa.text("SELECT claim_id, article_id, claimant_id, MIN(id) FROM appearances "
                "GROUP BY claim_id, article_id, claimant_id HAVING COUNT(*) > 1"))}
    claim_ids = {claim_id for claim_id, _, _ in first}
    gone = []
    for batch in _batches(sorted(claim_ids)):
        for id_, *key in connection.execute(
                sa.text("SELECT id, claim_id, article_id, claimant_id FROM appearances WHERE claim_id IN :ids")
                .bindparams(sa.bindparam("ids", expanding=True)), {"ids": batch}):
            if first.get(tuple(key), id_) != id_:
                gone.append({"id": id_})
    if gone:
        connection.execute(sa.text("DELETE FROM appearances WHERE id = :id"), gone)
    return claim_ids


def _refresh_summaries(connection, claim_ids: set[int]) -> None:
    """The summaries of the groups of these claims, from their evidence now (with the
    application's summarise, over the columns this revision has)."""
    from factcheck.services.verdicts.summary import summarise

    if not claim_ids:
        return
    metadata = sa.MetaData()
    claims, verdicts, appearances = (sa.Table(name, metadata, autoload_with=connection)
                                     for name in ("claims", "verdicts", "appearances"))
    groups = set(connection.scalars(sa.select(claims.c.group_id).where(claims.c.id.in_(claim_ids))))
    for group_id in groups:
        members = sa.select(claims.c.id).where(claims.c.group_id == group_id)
        evidence = [[_aware(row) for row in connection.execute(sa.select(table).where(table.c.claim_id.in_(members)))]
                    for table in (verdicts, appearances)]
        summary = vars(summarise(*evidence))
        connection.execute(claims.update().where(claims.c.group_id == group_id).values(
            {column: value for column, value in summary.items() if column in claims.c}))


def _aware(row) -> SimpleNamespace:
    """A row as the models read it: datetimes in UTC."""
    return SimpleNamespace(**{column: value.replace(tzinfo=UTC) if isinstance(value, datetime)
                              and value.tzinfo is None else value for column, value in row._mapping.items()})


def _batches(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def downgrade():
    # Merged rows stay merged, and the keys as computed here are valid keys before it too.
    pass
