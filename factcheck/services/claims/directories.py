"""Directories of claimants and outlets, alphabetical, found by the start of a name."""
from sqlalchemy import Select, func, or_, select

from factcheck.models import Appearance, Article, Claim, Claimant, Outlet
from factcheck.services.claims.sources import name_key
from factcheck.storage.pages import Page
from factcheck.storage.paging import Key, keyset_page
from factcheck.storage.uow import read_connection, read_only


def _starts_a_word(column, prefix: str):
    """`column` (lower-case already) has a word that starts with `prefix`: "giu" finds Rudy Giuliani."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(column.like(f"{escaped}%", escape="\\"), column.like(f"% {escaped}%", escape="\\"))


def _page(query: Select, sort_key, args: dict) -> Page:
    """A keyset page in the order of `sort_key`, a unique column selected as `sort_key`."""
    return keyset_page(query, [Key(sort_key, str, descending=False, name="sort_key")], args,
                       lambda statement: read_connection().execute(statement).all())


@read_only
def claimants(args: dict) -> Page[dict]:
    """Claimants by name, each with how many claims (not removed) are theirs: the claims the
    claim list's `claimant` filter finds."""
    query = select(Claimant.id, Claimant.name, Claimant.name_key.label("sort_key"))
    if prefix := args.get("prefix"):
        query = query.where(_starts_a_word(Claimant.name_key, name_key(prefix)))
    page = _page(query, Claimant.name_key, args)
    counts = dict(read_connection().execute(
        select(Claim.claimant_id, func.count()).where(Claim.claimant_id.in_([row.id for row in page.items]),
                                                      Claim.removed_at.is_(None))
        .group_by(Claim.claimant_id)).all()) if page.items else {}
    return Page([{"id": row.id, "name": row.name, "claims": counts.get(row.id, 0)} for row in page.items],
                page.next_cursor)


@read_only
def outlets(args: dict) -> Page[dict]:
    """Outlets by domain, each with how many claims (not removed) they printed: the claims the
    claim list's `outlet` filter finds. A prefix matches the domain or a word of the name."""
    query = select(Outlet.id, Outlet.name, Outlet.domain, Outlet.domain.label("sort_key"))
    if prefix := args.get("prefix"):
        prefix = prefix.strip().lower()
        query = query.where(or_(_starts_a_word(func.lower(Outlet.name), prefix),
                                _starts_a_word(Outlet.domain, prefix.removeprefix("www."))))
    page = _page(query, Outlet.domain, args)
    counts = dict(read_connection().execute(
        select(Article.outlet_id, func.count(func.distinct(Appearance.claim_id)))
        .join(Appearance, Appearance.article_id == Article.id).join(Claim, Claim.id == Appearance.claim_id)
        .where(Article.outlet_id.in_([row.id for row in page.items]), Claim.removed_at.is_(None))
        .group_by(Article.outlet_id)).all()) if page.items else {}
    return Page([{"id": row.id, "name": row.name, "domain": row.domain, "claims": counts.get(row.id, 0)}
                 for row in page.items], page.next_cursor)
