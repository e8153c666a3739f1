"""Keyset pages of a query, newest (highest id) first."""
from sqlalchemy import Select

from factcheck.extensions import db
from factcheck.pagination import Page, decode_cursor, page_of


def newest_first(query: Select, id_column, args: dict, *, as_rows: bool = False) -> Page:
    """One page of `query`, of entities (or of rows, for a select of columns); the cursor
    is the last id shown."""
    limit = args["limit"]
    if cursor := args.get("cursor"):
        (last_id,) = decode_cursor(cursor, (int,))
        query = query.where(id_column < last_id)
    result = db.session.execute(query.order_by(id_column.desc()).limit(limit + 1))
    rows = result.all() if as_rows else result.scalars().all()
    return page_of(rows, limit, lambda row: [row.id])
