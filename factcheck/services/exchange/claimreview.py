"""ClaimReview out: which verdicts are published, per claim and as a feed."""
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from factcheck.extensions import db
from factcheck.models import Claim, Verdict
from factcheck.services.claims.edits import stored_claim
from factcheck.storage.pages import Page
from factcheck.storage.paging import Key, keyset_page

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
    keys = [Key(Verdict.updated_at, datetime, descending=False), Key(Verdict.id, int, descending=False)]
    return keyset_page(published_verdicts(select(Verdict).options(*WITH_CLAIM)), keys, args,
                       lambda statement: db.session.scalars(statement).all())
