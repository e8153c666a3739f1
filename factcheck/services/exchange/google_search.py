"""Google Fact Check Tools' claims:search over the published reviews, ranked by the matcher."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from factcheck.errors import Invalid
from factcheck.extensions import db
from factcheck.models import Appearance, Article, Claim, Publisher, Verdict
from factcheck.models.types import utcnow
from factcheck.services.exchange.claimreview import published_verdicts
from factcheck.services.links.decisions import matcher
from factcheck.services.links.match_index import SqlClaimIndex
from factcheck.storage import paging
from factcheck.storage.pages import Page, decode_cursor, page_of
from factcheck.storage.paging import Key, after, ordering

# Matcher candidates a query looks through: its results are the reviewed claims among them.
SEARCH_DEPTH = 1000


@dataclass
class Found:
    """A claim as Google answers it: the wording and its published reviews."""

    claim: Claim
    reviews: list[Verdict]


def _reviews(query: Select, args: dict) -> Select:
    """Google's filters, on a query of verdicts joined to the claims they were given on."""
    query = published_verdicts(query)
    if site := args.get("reviewPublisherSiteFilter"):
        site = site.lower().removeprefix("www.")
        # A site covers its subdomains: afp.com finds factcheck.afp.com's reviews.
        query = query.where(Verdict.publisher.has(or_(Publisher.site == site, Publisher.site.like(f"%.{site}"))))
    if language := args.get("languageCode"):
        # "We do not currently consider the region" (Google): en-US finds en and en-GB.
        primary = language.split("-")[0].lower()
        lowered = func.lower(Claim.language)
        query = query.where(or_(lowered == primary, lowered.like(f"{primary}-%")))
    now = utcnow()
    # An age older than the calendar (the schema allows up to 2**31-1 days) filters nothing.
    if (days := args.get("maxAgeDays")) and days < (now - datetime(1, 1, 2, tzinfo=UTC)).days:
        # Age is that of the claim date or the review date, whichever is newer (Google).
        cutoff = now - timedelta(days=days)
        first_printed = (select(func.min(Article.published_at)).join(Appearance, Appearance.article_id == Article.id)
                         .where(Appearance.claim_id == Claim.id).scalar_subquery())
        query = query.where(or_(Verdict.review_date >= cutoff, first_printed >= cutoff))
    return query


def _reviewed(args: dict) -> Select:
    return _reviews(select(Verdict.claim_id).join(Claim, Claim.id == Verdict.claim_id), args)


def _page_token(args: dict, shape: tuple[type, ...]) -> list:
    try:
        return decode_cursor(args["pageToken"], shape)
    except Invalid:
        raise Invalid("The pageToken is not one this search gave out.",
                      errors={"pageToken": ["Invalid page token."]}) from None


def search(args: dict) -> Page[Found]:
    """Best match first for a query; otherwise the most recently reviewed claims first."""
    return _by_relevance(args) if args.get("query") else _by_recency(args)


def _by_relevance(args: dict) -> Page[Found]:
    limit = args["pageSize"]
    ranked = matcher(SqlClaimIndex(db.session())).match(args["query"], SEARCH_DEPTH)
    reviewed = set(db.session.scalars(_reviewed(args).where(Verdict.claim_id.in_([m.claim_id for m in ranked]))))
    rows = [(m.score, m.claim_id) for m in ranked if m.claim_id in reviewed]
    if args.get("pageToken"):  # the matcher's order: best score first, then lowest id
        score, last_id = _page_token(args, (float, int))
        rows = [row for row in rows if row[0] < score or (row[0] == score and row[1] > last_id)]
    else:
        rows = rows[args.get("offset", 0):]
    page = page_of(rows[:limit + 1], limit, lambda row: [row[0], row[1]])
    return Page(_found([claim_id for _, claim_id in page.items], args), page.next_cursor)


def _by_recency(args: dict) -> Page[Found]:
    limit = args["pageSize"]
    keys = [Key(func.max(Verdict.id), int, name="newest")]
    query = _reviewed(args).add_columns(keys[0].column.label("newest")).group_by(Verdict.claim_id)
    if args.get("pageToken"):
        query = query.having(after(keys, _page_token(args, (int,))))
    else:
        query = query.offset(args.get("offset", 0))
    rows = db.session.execute(query.order_by(*ordering(keys)).limit(limit + 1)).all()
    page = paging.page(rows, keys, limit)
    return Page(_found([row.claim_id for row in page.items], args), page.next_cursor)


def _found(claim_ids: list[int], args: dict) -> list[Found]:
    """The page's claims, with their sources and filtered reviews, in two queries."""
    claims = {c.id: c for c in db.session.scalars(
        select(Claim).where(Claim.id.in_(claim_ids)).options(selectinload(Claim.appearances)))}
    reviews: dict[int, list[Verdict]] = {claim_id: [] for claim_id in claim_ids}
    query = _reviews(select(Verdict).join(Claim, Claim.id == Verdict.claim_id), args)
    for verdict in db.session.scalars(query.where(Verdict.claim_id.in_(claim_ids))
                                      .order_by(Verdict.review_date.desc().nulls_last(), Verdict.id.desc())):
        reviews[verdict.claim_id].append(verdict)
    return [Found(claims[claim_id], reviews[claim_id]) for claim_id in claim_ids]
