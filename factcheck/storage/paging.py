"""Keyset pages: a list sorted on a key ending in a unique column, the cursor being the key of the last row shown."""
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, Select, and_, or_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.storage.pages import Page, decode_cursor, page_of


class Key(NamedTuple):
    """One column of a list's sort key, and what its cursor holds of it (int, float, str, datetime)."""

    column: ColumnElement
    kind: type
    descending: bool = True
    name: str | None = None  # the row's attribute holding it, when not the column's own key


def ordering(keys: Sequence[Key]) -> list:
    return [key.column.desc() if key.descending else key.column for key in keys]


def after(keys: Sequence[Key], last: Sequence) -> ColumnElement:
    """The rows that come after the one whose key is `last` (values, or bind parameters)."""
    key, *rest = keys
    beyond = key.column < last[0] if key.descending else key.column > last[0]
    return or_(beyond, and_(key.column == last[0], after(rest, last[1:]))) if rest else beyond


def last_shown(cursor: str | None, keys: Sequence[Key]) -> list | None:
    """The key a cursor names (422 unless this list gave it out), or None without one."""
    return decode_cursor(cursor, tuple(key.kind for key in keys)) if cursor else None


def page(rows: Sequence, keys: Sequence[Key], limit: int) -> Page:
    """A page of rows fetched with limit + 1 (one more tells that another page follows)."""
    return page_of(list(rows), limit, lambda row: [_written(getattr(row, key.name or key.column.key), key.kind)
                                                   for key in keys])


def _written(value, kind: type):
    """A key's value as its cursor holds it (a datetime as ISO 8601 text, a rank as a float)."""
    if isinstance(value, datetime):
        return value.isoformat()
    return float(value) if kind is float and value is not None else value


def keyset_page(query: Select, keys: Sequence[Key], args: dict, run: Callable[[Select], Sequence]) -> Page:
    """The page of `query` that args' `cursor` and `limit` name; run(statement) gives its rows."""
    if (last := last_shown(args.get("cursor"), keys)) is not None:
        query = query.where(after(keys, last))
    return page(run(query.order_by(*ordering(keys)).limit(args["limit"] + 1)), keys, args["limit"])


def on_connection(connection: Connection | None) -> Callable[[Select], Sequence]:
    """Entities through the session, or, given a connection, the rows of a select of columns
    run on it through a session bound to it: a select of ORM attributes run on the Connection
    itself took ~440k instructions more (callgrind, a page of the seed's claims)."""
    if connection is None:
        return lambda query: db.session.scalars(query).all()

    def run(query: Select) -> Sequence:
        with Session(connection) as session:
            return session.execute(query).all()
    return run


def newest_first(query: Select, id_column, args: dict, *, connection: Connection | None = None) -> Page:
    """One page of `query`, newest (highest id) first: entities through the session, or,
    given a connection, the rows of a select of columns run on it."""
    return keyset_page(query, [Key(id_column, int)], args, on_connection(connection))


def most_asked(query: Select, args: dict, connection: Connection) -> Page:
    """One page of a select of claim_rows(), most asked about first (then newest).
    ix_claims_demand_order walks it from its top."""
    return keyset_page(query, [Key(Claim.asked, int), Key(Claim.id, int)], args, on_connection(connection))
