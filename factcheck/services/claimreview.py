"""ClaimReview out: which verdicts are published, per claim and as a feed."""
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from factcheck.extensions import db
from factcheck.models import Claim, Verdict
from factcheck.pagination import Page, decode_cursor, page_of
from factcheck.services.claim_edits import stored_claim

# What a ClaimReview shows of its verdict, loaded in a fixed number of queries per page.
WITH_CLAIM = (selectinload(Verdict.claim).selectinload(Claim.appearances),)


def published_verdicts(query: Select) -> Select:
    """The one place that decides which verdicts the ClaimReview endpoints, the feed and
    the Google-shaped search show: published ones, on claims not removed. A superseded
    review stays published (its article still stands); drafts and withdrawn verdicts never leave the newsroom."""
    return query.where(Verdict.status == "published", Verdict.claim.has(Claim.removed_at.is_(None)))


def claim_reviews(claim_id: int) -> list[Verdict]:
    """The published verdicts of the claim's group, each with the wording it was given on."""
    claim = stored_claim(db.session(), claim_id)
    query = (select(Verdict).join(Claim, Verdict.claim_id == Claim.id)
             .where(Claim.group_id == claim.group_id).options(*WITH_CLAIM).order_by(Verdict.id))
    return list(db.session.scalars(published_verdicts(query)))


def review_feed(args: dict) -> Page[Verdict]:
    """Least recently changed first: a review published or revised while a partner walks
    the feed moves to its end, so a walk never misses one (it may see one twice)."""
    limit = args["limit"]
    query = select(Verdict).options(*WITH_CLAIM)
    if cursor := args.get("cursor"):
        changed, last_id = decode_cursor(cursor, (datetime, int))
        query = query.where(or_(Verdict.updated_at > changed,
                                and_(Verdict.updated_at == changed, Verdict.id > last_id)))
    query = published_verdicts(query).order_by(Verdict.updated_at, Verdict.id).limit(limit + 1)
    rows = list(db.session.scalars(query))
    return page_of(rows, limit, lambda v: [v.updated_at.isoformat(), v.id])
