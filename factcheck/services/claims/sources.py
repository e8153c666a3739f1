"""Outlets, articles, claimants and publishers are stored once and reused."""
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from factcheck.identity import canonical_url, display_name, name_key, normalise_site, site_of, url_key
from factcheck.models import Article, Claimant, Outlet, Publisher
from factcheck.models.types import utcnow
from factcheck.storage.uow import unit_of_work

M = TypeVar("M")


def dialect_insert(session: Session):
    """The dialect's INSERT, which knows ON CONFLICT."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def get_or_create(session: Session, model: type[M], key: dict, defaults: dict | None = None) -> M:
    """Race-free across workers: INSERT ... ON CONFLICT DO NOTHING RETURNING the row, or, when
    another writer's row won, read it.

    Remembered for the rest of the transaction (UnitOfWork.sources).
    """
    seen = unit_of_work(session).sources
    cache_key = (model, *sorted(key.items()))
    if cache_key in seen:
        return seen[cache_key]
    found = session.scalars(select(model).filter_by(**key)).first()
    if found is None:
        found = session.scalars(
            dialect_insert(session)(model).values(**key, **(defaults or {}))
            .on_conflict_do_nothing(index_elements=list(key)).returning(model)
        ).first() or session.scalars(select(model).filter_by(**key)).one()
    seen[cache_key] = found
    return found


# Claimant and outlet names are stored in 200 characters (NFKC and case folding can lengthen one).
NAME_LENGTH = 200


def claimant_values(name: str) -> tuple[str, str]:
    """(name_key, display name) of a claimant; an empty key for a name that shows nothing."""
    name = display_name(name)[:NAME_LENGTH]
    return name_key(name)[:NAME_LENGTH], name


def claimant_key(name: str | None) -> str:
    """The name_key a claimant of this name is stored with ("" for no name, or one that shows nothing)."""
    return claimant_values(name)[0] if name else ""


def prefetch_claimants(session: Session, names: list[str]) -> None:
    """Find or create the claimants of a batch in two statements, for claimant_for to reuse."""
    wanted = {key: name for key, name in map(claimant_values, names) if key}
    if len(wanted) < 2:
        return
    session.execute(
        dialect_insert(session)(Claimant).on_conflict_do_nothing(index_elements=["name_key"]),
        [{"name_key": key, "name": name, "created_at": utcnow()} for key, name in sorted(wanted.items())],
    )
    seen = unit_of_work(session).sources
    for claimant in session.scalars(select(Claimant).where(Claimant.name_key.in_(wanted))):
        seen[(Claimant, ("name_key", claimant.name_key))] = claimant


def prefetch_articles(session: Session, appearances: list[dict]) -> None:
    """Find or create the outlets and articles of a batch's appearances in four statements,
    for article_for to reuse. The first appearance naming an outlet or an article gives its
    defaults, as when they are found one by one."""
    outlets: dict[str, str] = {}
    articles: dict[str, tuple[str, dict]] = {}
    for data in appearances:
        url = canonical_url(data["url"])
        domain, name = _outlet_values(url, data.get("outlet"))
        outlets.setdefault(domain, name)
        articles.setdefault(url, (domain, data))
    if len(articles) < 2:
        return
    seen = unit_of_work(session).sources
    # Sorted, as prefetch_claimants: concurrent writers then lock rows in one order.
    session.execute(dialect_insert(session)(Outlet).on_conflict_do_nothing(index_elements=["domain"]),
                    [{"domain": domain, "name": name} for domain, name in sorted(outlets.items())])
    by_domain = {}
    for outlet in session.scalars(select(Outlet).where(Outlet.domain.in_(outlets))):
        by_domain[outlet.domain] = seen[(Outlet, ("domain", outlet.domain))] = outlet
    rows = sorted(({"url_key": url_key(url), "url": url, "outlet_id": by_domain[domain].id, "title": data.get("title"),
                    "published_at": data.get("published_at")} for url, (domain, data) in articles.items()),
                  key=lambda row: row["url_key"])
    session.execute(dialect_insert(session)(Article).on_conflict_do_nothing(index_elements=["url_key"]), rows)
    keys = [row["url_key"] for row in rows]
    for article in session.scalars(select(Article).where(Article.url_key.in_(keys))):
        seen[(Article, ("url_key", article.url_key))] = article


def claimant_for(session: Session, data: dict | None) -> Claimant | None:
    """The claimant named in data (see identity.name_key); None for no name, or one that shows nothing."""
    key, name = claimant_values(data["name"]) if data else ("", "")
    if not key:
        return None
    return get_or_create(session, Claimant, {"name_key": key}, {"name": name})


def _outlet_values(url: str, data: dict | None) -> tuple[str, str]:
    """(domain, name) of the outlet that printed url."""
    data = data or {}
    domain = normalise_site(data["domain"]) if data.get("domain") else site_of(url)
    return domain, display_name(data.get("name") or "")[:NAME_LENGTH] or domain


def outlet_for(session: Session, url: str, data: dict | None) -> Outlet:
    domain, name = _outlet_values(url, data)
    return get_or_create(session, Outlet, {"domain": domain}, {"name": name})


def article_for(session: Session, data: dict) -> Article:
    """The article at data["url"] (see identity.canonical_url); fields it lacked so far are
    filled in, none overwritten."""
    url = canonical_url(data["url"])
    outlet = outlet_for(session, url, data.get("outlet"))
    article = get_or_create(session, Article, {"url_key": url_key(url)}, {
        "url": url, "outlet_id": outlet.id, "title": data.get("title"), "published_at": data.get("published_at"),
    })
    if article.title is None and data.get("title"):
        article.title = data["title"]
    if article.published_at is None and data.get("published_at"):
        article.published_at = data["published_at"]
    return article


def publisher_for(session: Session, data: dict) -> Publisher:
    site = normalise_site(data["site"])
    return get_or_create(session, Publisher, {"site": site}, {"name": data["name"].strip()})
