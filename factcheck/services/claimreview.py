"""ClaimReview out (per claim and as a feed) and in (keyed on the review url)."""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from factcheck.errors import NotFound
from factcheck.extensions import db
from factcheck.models import Appearance, Claim, Verdict
from factcheck.pagination import Page, decode_cursor, page_of
from factcheck.ratings import normalise_rating
from factcheck.services.claims import locked_claim, store_claims
from factcheck.services.groups import refresh_groups
from factcheck.services.links import matcher
from factcheck.services.match_index import SqlClaimIndex, terms_of
from factcheck.services.sources import article_for, claimant_for, normalise_url, publisher_for
from factcheck.services.uow import transaction

# What a ClaimReview shows of its verdict, loaded in a fixed number of queries per page.
WITH_CLAIM = (selectinload(Verdict.claim).selectinload(Claim.appearances),)


def published_verdicts(query: Select) -> Select:
    """The one place that decides which verdicts are public: every one, until verdicts
    have a lifecycle (issue 4), when this gains the `published` filter."""
    return query


def claim_reviews(claim_id: int) -> list[Verdict]:
    """The published verdicts of the claim's group, each with the wording it was given on."""
    claim = db.session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    query = (select(Verdict).join(Claim, Verdict.claim_id == Claim.id)
             .where(Claim.group_id == claim.group_id).options(*WITH_CLAIM).order_by(Verdict.id))
    return list(db.session.scalars(published_verdicts(query)))


def review_feed(args: dict) -> Page[Verdict]:
    """Oldest first, so a partner walking the feed also reaches reviews added meanwhile."""
    limit = args["limit"]
    query = select(Verdict).options(*WITH_CLAIM)
    if cursor := args.get("cursor"):
        (last_id,) = decode_cursor(cursor, (int,))
        query = query.where(Verdict.id > last_id)
    rows = list(db.session.scalars(published_verdicts(query).order_by(Verdict.id).limit(limit + 1)))
    return page_of(rows, limit, lambda v: [v.id])


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict] = field(default_factory=list)  # {"index", "path", "errors"}


def import_reviews(reviews: Iterable[dict], summary: ImportSummary) -> ImportSummary:
    """Each review in its own transaction: a failed one leaves nothing behind, the rest stay."""
    for review in reviews:
        try:
            outcome = import_review(review)
        except NotFound as error:  # the claim vanished under a concurrent delete
            summary.rejected.append({"index": review["index"], "path": review["path"],
                                     "errors": {"_schema": [error.detail]}})
            continue
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    summary.rejected.sort(key=lambda item: item["index"])
    return summary


def import_review(review: dict) -> str:
    """Create or update one review's claim and verdict; returns created/updated/unchanged."""
    claim_data, verdict_data = review["claim"], review["verdict"]
    with transaction() as session:
        verdict = session.scalars(
            select(Verdict).where(Verdict.url == verdict_data["url"]).order_by(Verdict.id).limit(1)).first()
        if verdict is None:
            claim = _claim_for(session, claim_data)
            verdict = Verdict(claim_id=claim.id)
            _apply_verdict(session, verdict, verdict_data)
            session.add(verdict)
            refresh_groups(session, [claim.group_id])
            return "created"
        claim = locked_claim(session, verdict.claim_id)
        changed = _apply_evidence(session, claim, claim_data)
        changed = _apply_verdict(session, verdict, verdict_data) or changed
        if not changed:
            return "unchanged"
        refresh_groups(session, [claim.group_id])
        return "updated"


def _claim_for(session, data: dict) -> Claim:
    """The stored claim with exactly this text (its evidence completed), else a new claim
    linked to its near-duplicates like any other."""
    text = data["text"].strip()
    if terms_of(text):
        # The matcher's term index finds an identical wording without scanning every text.
        found = [c.claim_id for c in matcher(SqlClaimIndex(session)).link_candidates(text) if c.score >= 100.0]
        query = select(Claim.id).where(Claim.id.in_(found), Claim.text == text)
    else:
        query = select(Claim.id).where(Claim.text == text)
    stored_id = session.scalars(query.order_by(Claim.id).limit(1)).first()
    if stored_id is None:
        (claim,) = store_claims(session, [data])
        return claim
    claim = locked_claim(session, stored_id)
    _apply_evidence(session, claim, data)
    return claim


def _apply_evidence(session, claim: Claim, data: dict) -> bool:
    """Add the sources and claimant the review names that the claim lacks; never removes."""
    changed = False
    if claim.claimant is None and data.get("claimant"):
        claim.claimant = claimant_for(session, data["claimant"])
        changed = True
    known = {appearance.article.url for appearance in claim.appearances}
    for item in data.get("appearances", ()):
        url = normalise_url(item["url"])
        if url in known:
            continue
        known.add(url)
        session.add(Appearance(claim_id=claim.id, article=article_for(session, item),
                               stance=item.get("stance", "reports")))
        changed = True
    return changed


_VERDICT_FIELDS = ("rating", "rating_value", "best_rating", "worst_rating", "explanation", "url")


def _apply_verdict(session, verdict: Verdict, data: dict) -> bool:
    """Set the verdict's fields from the review; True when any of them changed."""
    publisher = publisher_for(session, data["publisher"])
    wanted = {name: data.get(name) for name in _VERDICT_FIELDS}
    wanted["rating"] = data["rating"].strip()
    normalised = normalise_rating(wanted["rating"], rating_value=wanted["rating_value"],
                                  best_rating=wanted["best_rating"], worst_rating=wanted["worst_rating"],
                                  publisher_site=publisher.site)
    wanted.update(publisher_id=publisher.id, score=normalised.score, category=normalised.category)
    if data.get("review_date"):
        wanted["review_date"] = data["review_date"]
    changed = False
    for name, value in wanted.items():
        if getattr(verdict, name) != value:
            setattr(verdict, name, value)
            changed = True
    if changed:
        verdict.publisher = publisher
    return changed
