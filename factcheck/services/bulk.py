"""Bulk import and export of claims with their appearances and verdicts, one transaction per batch."""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink, Verdict
from factcheck.models.types import utcnow
from factcheck.ratings import normalise_rating
from factcheck.services.claims import _appearance, store_claims
from factcheck.services.groups import refresh_groups
from factcheck.services.sources import normalise_url, publisher_for
from factcheck.services.uow import transaction
from factcheck.services.webhooks import enqueue_events

# (line number, validated claim as POST /claims takes it, its validated verdicts)
Record = tuple[int, dict, list[dict]]


@dataclass
class BulkSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0
    verdicts: int = 0
    rejected: list[tuple[int, object]] = field(default_factory=list)  # (line number, reason)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def _verdict_key(site: str, rating: str, url: str | None) -> tuple:
    return site, rating.strip().casefold(), url


def _new_verdict(claim: Claim, publisher, data: dict) -> Verdict:
    """What submit_verdict stores, without its per-verdict lock and group refresh."""
    normalised = normalise_rating(
        data["rating"], rating_value=data.get("rating_value"), best_rating=data.get("best_rating"),
        worst_rating=data.get("worst_rating"), publisher_site=publisher.site,
    )
    return Verdict(
        claim_id=claim.id, publisher=publisher, rating=data["rating"].strip(),
        rating_value=data.get("rating_value"), best_rating=data.get("best_rating"),
        worst_rating=data.get("worst_rating"), score=normalised.score, category=normalised.category,
        explanation=data.get("explanation"), url=data.get("url"),
        # Explicit, so that summaries computed before the flush can order verdicts by date.
        review_date=data.get("review_date") or utcnow(), status="published",
    )


class _Batch:
    """Claims of one batch by text, and what each already holds, so re-imports add nothing twice."""

    def __init__(self, session: Session, records: list[Record]):
        self.session = session
        texts = {data["text"].strip() for _, data, _ in records}
        existing = session.scalars(
            select(Claim).where(Claim.text.in_(texts)).order_by(Claim.id)
            .options(selectinload(Claim.appearances), selectinload(Claim.verdicts))
        ).all()
        self.claims: dict[str, Claim] = {}
        for claim in existing:
            self.claims.setdefault(claim.text, claim)
        # Statuses before this batch, for "became contested" webhook events.
        self.before = {claim.id: claim.status for claim in self.claims.values()}
        self.urls = {c.id: {a.article.url for a in c.appearances} for c in self.claims.values()}
        self.rated = {c.id: {_verdict_key(v.publisher.site, v.rating, v.url) for v in c.verdicts}
                      for c in self.claims.values()}
        # (claim id, publisher id) -> the verdict that counts now; a newer one supersedes it.
        self.current = {(v.claim_id, v.publisher_id): v for c in self.claims.values() for v in c.verdicts
                        if v.status == "published" and v.superseded_by_id is None}
        self.superseded: list[tuple[Verdict, Verdict]] = []
        self.changed: set[int] = set()
        self.verdicts: list[Verdict] = []

    def create(self, items: list[dict]) -> None:
        for claim in store_claims(self.session, items):
            self.claims[claim.text] = claim
            self.urls[claim.id] = {a.article.url for a in claim.appearances}
            self.rated[claim.id] = set()

    def add(self, claim: Claim, data: dict, verdicts: list[dict]) -> bool:
        """Add the appearances and verdicts the claim lacks; True when there were any."""
        added = False
        for appearance in data.get("appearances", ()):
            url = normalise_url(appearance["url"])
            if url not in self.urls[claim.id]:
                self.urls[claim.id].add(url)
                stored = _appearance(self.session, appearance)
                stored.claim_id = claim.id
                self.session.add(stored)
                added = True
        for verdict in verdicts:
            publisher = publisher_for(self.session, verdict["publisher"])
            key = _verdict_key(publisher.site, verdict["rating"], verdict.get("url"))
            if key not in self.rated[claim.id]:
                self.rated[claim.id].add(key)
                stored = _new_verdict(claim, publisher, verdict)
                if (earlier := self.current.get((claim.id, publisher.id))) is not None:
                    self.superseded.append((earlier, stored))
                self.current[(claim.id, publisher.id)] = stored
                self.session.add(stored)
                self.verdicts.append(stored)
                added = True
        if added:
            self.changed.add(claim.id)
        return added


def import_batch(records: list[Record], summary: BulkSummary) -> None:
    """One transaction: claims created or completed, linked, verdicts added, summaries refreshed."""
    with transaction() as session:
        links_before = session.scalar(select(func.count(ClaimLink.id)))
        batch = _Batch(session, records)
        fresh: dict[str, dict] = {}
        for _, data, _ in records:
            text = data["text"].strip()
            if text not in batch.claims and text not in fresh:
                fresh[text] = data
        batch.create(list(fresh.values()))
        created = {id(data) for data in fresh.values()}
        for _, data, verdicts in records:
            claim = batch.claims[data["text"].strip()]
            if id(data) in created:
                batch.add(claim, {}, verdicts)
                summary.created += 1
            elif batch.add(claim, data, verdicts):
                summary.updated += 1
            else:
                summary.unchanged += 1
        session.flush()
        for earlier, later in batch.superseded:
            earlier.superseded_by_id = later.id
        # Once per batch: every group that gained a verdict or an appearance.
        groups = {claim.group_id for claim in batch.claims.values() if claim.id in batch.changed}
        refresh_groups(session, groups)
        enqueue_events(session, batch.verdicts, before=batch.before)
        summary.links += session.scalar(select(func.count(ClaimLink.id))) - links_before
        summary.verdicts += len(batch.verdicts)


def import_records(records: Iterable[Record], batch_size: int = 500) -> BulkSummary:
    summary = BulkSummary()
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= batch_size:
            import_batch(batch, summary)
            batch = []
    if batch:
        import_batch(batch, summary)
    return summary


def _compact(values: dict) -> dict:
    """Absent, not null: the create schemas take no nulls."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items() if v is not None}


def record_of(claim: Claim) -> dict:
    """A stored claim as POST /claims takes it, with its own published verdicts."""
    record = {"text": claim.text, "language": claim.language}
    if claim.claimant:
        record["claimant"] = {"name": claim.claimant.name}
    record["appearances"] = [_compact({
        "url": a.article.url, "outlet": {"name": a.article.outlet.name, "domain": a.article.outlet.domain},
        "title": a.article.title, "quote": a.quote, "stance": a.stance,
        "claimant": {"name": a.claimant.name} if a.claimant else None, "published_at": a.article.published_at,
    }) for a in claim.appearances]
    record["verdicts"] = [_compact({
        "publisher": {"name": v.publisher.name, "site": v.publisher.site}, "rating": v.rating,
        "rating_value": v.rating_value, "best_rating": v.best_rating, "worst_rating": v.worst_rating,
        "explanation": v.explanation, "url": v.url, "review_date": v.review_date,
    }) for v in claim.verdicts if v.status == "published"]
    return record


def count_claims() -> int:
    return db.session.scalar(select(func.count(Claim.id)))


def export_records(batch_size: int = 500) -> Iterator[tuple[int, dict]]:
    """Every claim in id order, as (id, record); memory stays flat whatever the size."""
    last_id = 0
    while True:
        claims = db.session.scalars(
            select(Claim).where(Claim.id > last_id).order_by(Claim.id).limit(batch_size)
            .options(selectinload(Claim.appearances), selectinload(Claim.verdicts))
        ).all()
        if not claims:
            return
        for claim in claims:
            yield claim.id, record_of(claim)
        last_id = claims[-1].id
        db.session.expunge_all()
