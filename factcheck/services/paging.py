"""Keyset pages of a query, newest (highest id) first."""
from sqlalchemy import Select

from factcheck.extensions import db
from factcheck.pagination import Page, decode_cursor, page_of


def newest_first(query: Select, id_column, args: dict) -> Page:
    """One page of `query`; the cursor is the last id shown."""
    limit = args["limit"]
    if cursor := args.get("cursor"):
        (last_id,) = decode_cursor(cursor, (int,))
        query = query.where(id_column < last_id)
    rows = list(db.session.scalars(query.order_by(id_column.desc()).limit(limit + 1)))
    return page_of(rows, limit, lambda row: [row.id])
