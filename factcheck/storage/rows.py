"""Rows inserted a statement per table, with their ids taken first (bulk import)."""
from sqlalchemy import func, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, lazyload


def new_ids(session: Session, model, n: int) -> list[int]:
    """Ids for n new rows, taken before they are inserted.

    SQLite's write transactions hold the database's write lock from their BEGIN IMMEDIATE,
    so nobody else can take the ids after the highest; PostgreSQL hands them out from the
    id column's sequence. (RETURNING in the rows' order costs SQLAlchemy a statement per
    row on SQLite.)
    """
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        return sorted(session.scalars(
            sql_text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": n}))
    highest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(highest + 1, highest + n + 1))


def insert_all(session: Session, model, rows: list[dict]) -> list:
    """Insert rows in one executemany (with ids taken first unless they have them); returns
    the stored objects, in the rows' order.

    Loaded by a SELECT rather than from RETURNING: SQLite's RETURNING gives a REAL column's
    whole numbers as integers (a score of 0.0 came back as 0, and so into audit entries).
    """
    if rows and "id" not in rows[0]:
        rows = [row | {"id": i} for row, i in zip(rows, new_ids(session, model, len(rows)))]
    session.execute(insert(model.__table__), rows)
    ids = [row["id"] for row in rows]
    # Their many-to-one relations (claimant, publisher) are in the session already.
    stored = {obj.id: obj for obj in session.scalars(
        select(model).where(model.id.in_(ids)).options(lazyload("*")))}
    return [stored[i] for i in ids]
