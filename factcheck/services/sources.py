"""Outlets, articles, claimants and publishers are stored once and reused."""
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from factcheck.models import Article, Claimant, Outlet, Publisher
from factcheck.models.types import utcnow

M = TypeVar("M")
SEEN = "factcheck.sources.seen"  # session.info key; uow.transaction clears it


def dialect_insert(session: Session):
    """The dialect's INSERT, which knows ON CONFLICT."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def get_or_create(session: Session, model: type[M], key: dict, defaults: dict | None = None) -> M:
    """Race-free across workers: INSERT ... ON CONFLICT DO NOTHING, then read the winner.

    Remembered for the rest of the transaction (a bulk import names one outlet many times).
    """
    seen = session.info.setdefault(SEEN, {})
    cache_key = (model, *sorted(key.items()))
    if cache_key in seen:
        return seen[cache_key]
    found = session.scalars(select(model).filter_by(**key)).first()
    if found is None:
        session.execute(
            dialect_insert(session)(model).values(**key, **(defaults or {}))
            .on_conflict_do_nothing(index_elements=list(key))
        )
        found = session.scalars(select(model).filter_by(**key)).one()
    seen[cache_key] = found
    return found


def normalise_url(url: str) -> str:
    """One article per page: fragment dropped, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def domain_of(url: str) -> str:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host.removeprefix("www.")


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def prefetch_claimants(session: Session, names: list[str]) -> None:
    """Find or create the claimants of a batch in two statements, for claimant_for to reuse."""
    wanted = {name_key(name): " ".join(name.split()) for name in names}
    if len(wanted) < 2:
        return
    session.execute(
        dialect_insert(session)(Claimant).on_conflict_do_nothing(index_elements=["name_key"]),
        [{"name_key": key, "name": name, "created_at": utcnow()} for key, name in sorted(wanted.items())],
    )
    seen = session.info.setdefault(SEEN, {})
    for claimant in session.scalars(select(Claimant).where(Claimant.name_key.in_(wanted))):
        seen[(Claimant, ("name_key", claimant.name_key))] = claimant


def claimant_for(session: Session, data: dict | None) -> Claimant | None:
    if not data:
        return None
    name = " ".join(data["name"].split())
    return get_or_create(session, Claimant, {"name_key": name_key(name)}, {"name": name})


def outlet_for(session: Session, url: str, data: dict | None) -> Outlet:
    data = data or {}
    domain = (data.get("domain") or domain_of(url)).lower().removeprefix("www.")
    return get_or_create(session, Outlet, {"domain": domain}, {"name": data.get("name") or domain})


def article_for(session: Session, data: dict) -> Article:
    """The article at data["url"]; fields it lacked so far are filled in, none overwritten."""
    url = normalise_url(data["url"])
    outlet = outlet_for(session, url, data.get("outlet"))
    article = get_or_create(session, Article, {"url": url}, {
        "outlet_id": outlet.id, "title": data.get("title"), "published_at": data.get("published_at"),
    })
    if article.title is None and data.get("title"):
        article.title = data["title"]
    if article.published_at is None and data.get("published_at"):
        article.published_at = data["published_at"]
    return article


def publisher_for(session: Session, data: dict) -> Publisher:
    site = data["site"].strip().lower()
    site = (urlsplit(site).hostname or site) if "//" in site else site
    site = site.removeprefix("www.")
    return get_or_create(session, Publisher, {"site": site}, {"name": data["name"].strip()})
