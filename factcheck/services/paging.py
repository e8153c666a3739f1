"""Keyset pages of a query, newest (highest id) first."""
from sqlalchemy import Connection, Select, and_, or_
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.pagination import Page, decode_cursor, page_of


def newest_first(query: Select, id_column, args: dict, *, connection: Connection | None = None) -> Page:
    """One page of `query`, the cursor being the last id shown: entities through the session,
    or, given a connection, the rows of a select of columns run on it."""
    limit = args["limit"]
    if cursor := args.get("cursor"):
        (last_id,) = decode_cursor(cursor, (int,))
        query = query.where(id_column < last_id)
    query = query.order_by(id_column.desc()).limit(limit + 1)
    if connection is None:
        rows = db.session.scalars(query).all()
    else:
        # Through a session bound to it: a select of ORM attributes run on the Connection
        # itself took ~440k instructions more (callgrind, a page of the seed's claims).
        with Session(connection) as session:
            rows = session.execute(query).all()
    return page_of(rows, limit, lambda row: [row.id])


def most_asked(query: Select, args: dict, connection: Connection) -> Page:
    """One page of a select of claim_rows(), most asked about first (then newest); the
    cursor is the last (asked, id) shown. ix_claims_demand_order walks it from its top."""
    limit = args["limit"]
    if cursor := args.get("cursor"):
        asked, last_id = decode_cursor(cursor, (int, int))
        query = query.where(or_(Claim.asked < asked, and_(Claim.asked == asked, Claim.id < last_id)))
    query = query.order_by(Claim.asked.desc(), Claim.id.desc()).limit(limit + 1)
    with Session(connection) as session:
        rows = session.execute(query).all()
    return page_of(rows, limit, lambda row: [row.asked, row.id])
