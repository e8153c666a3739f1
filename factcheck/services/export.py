"""Bulk export: every claim not removed, as POST /claims takes it, with its published verdicts, so that
an export imports again (services.bulk)."""
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from factcheck.extensions import db
from factcheck.models import Claim


def _compact(values: dict) -> dict:
    """Absent, not null: the create schemas take no nulls."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items() if v is not None}


def record_of(claim: Claim) -> dict:
    """A stored claim as POST /claims takes it, with its own published verdicts."""
    record = {"text": claim.text}
    if claim.language_source != "detected":  # a detected language is detected again on import
        record["language"] = claim.language
    if claim.claimant:
        record["claimant"] = {"name": claim.claimant.name}
    if claim.claim_date:
        record["claim_date"] = claim.claim_date.isoformat()
    record["appearances"] = [_compact({
        "url": a.article.url, "outlet": {"name": a.article.outlet.name, "domain": a.article.outlet.domain},
        "title": a.article.title, "quote": a.quote, "stance": a.stance,
        "claimant": {"name": a.claimant.name} if a.claimant else None, "published_at": a.article.published_at,
    }) for a in claim.appearances]
    record["verdicts"] = [_compact({
        "publisher": v.signed_by._asdict(), "rating": v.rating,
        "rating_value": v.rating_value, "best_rating": v.best_rating, "worst_rating": v.worst_rating,
        "explanation": v.explanation, "url": v.url, "review_date": v.review_date,
    }) for v in claim.verdicts if v.status == "published"]
    return record


def count_claims() -> int:
    return db.session.scalar(select(func.count(Claim.id)).where(Claim.removed_at.is_(None)))


def export_records(batch_size: int = 500) -> Iterator[tuple[int, dict]]:
    """Every claim in id order, as (id, record); memory stays flat whatever the size."""
    last_id = 0
    while True:
        claims = db.session.scalars(
            select(Claim).where(Claim.id > last_id, Claim.removed_at.is_(None)).order_by(Claim.id).limit(batch_size)
            .options(selectinload(Claim.appearances), selectinload(Claim.verdicts))
        ).all()
        if not claims:
            return
        for claim in claims:
            yield claim.id, record_of(claim)
        last_id = claims[-1].id
        db.session.expunge_all()
