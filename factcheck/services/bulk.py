"""Bulk import and export of claims with their appearances and verdicts, one transaction per batch."""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink, Verdict
from factcheck.models.claims import text_key
from factcheck.models.types import utcnow
from factcheck.services import audit
from factcheck.services.actors import SYSTEM, Actor
from factcheck.services.claims import build_appearance, new_claim
from factcheck.services.groups import apply_summary, refresh_groups
from factcheck.services.links import link_and_index
from factcheck.services.sources import normalise_url, prefetch_claimants, publisher_for
from factcheck.services.summary import summarise
from factcheck.services.uow import transaction
from factcheck.services.verdicts import normalise
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


def _new_verdict(publisher, data: dict) -> Verdict:
    """What submit_verdict stores, without its per-verdict lock and group refresh."""
    # publisher_id, status and review_date set now: summaries are computed before the flush.
    verdict = Verdict(
        publisher=publisher, publisher_id=publisher.id, rating=data["rating"].strip(),
        rating_value=data.get("rating_value"), best_rating=data.get("best_rating"),
        worst_rating=data.get("worst_rating"), explanation=data.get("explanation"), url=data.get("url"),
        review_date=data.get("review_date") or utcnow(), status="published",
    )
    normalise(verdict)
    return verdict


class _Batch:
    """A batch's claims by text, and what each already holds, so re-imports add nothing twice."""

    def __init__(self, session: Session, records: list[Record], actor: Actor):
        self.session = session
        self.actor = actor
        self.created: list[Claim] = []
        texts = {data["text"].strip() for _, data, _ in records}
        existing = session.scalars(
            select(Claim).where(Claim.text_key.in_({text_key(t) for t in texts})).order_by(Claim.id)
            .options(selectinload(Claim.appearances), selectinload(Claim.verdicts))
        ).all()
        self.claims: dict[str, Claim] = {}
        for claim in existing:
            if claim.text in texts:  # not merely a digest collision
                self.claims.setdefault(claim.text, claim)
        # Statuses before this batch, for "became contested" webhook events.
        self.before = {claim.id: claim.status for claim in self.claims.values()}
        self.urls = {text: {a.article.url for a in c.appearances} for text, c in self.claims.items()}
        self.rated = {text: {_verdict_key(v.publisher.site, v.rating, v.url) for v in c.verdicts}
                      for text, c in self.claims.items()}
        # (text, publisher id) -> the verdict that counts now; a newer one supersedes it.
        self.current = {(text, v.publisher_id): v for text, c in self.claims.items() for v in c.verdicts
                        if v.status == "published" and v.superseded_by_id is None}
        self.superseded: list[tuple[Verdict, Verdict]] = []
        self.changed: set[str] = set()
        self.verdicts: list[Verdict] = []

    def create(self, records: list[Record]) -> None:
        """New claims with their verdicts, summarised before the insert, then linked."""
        session = self.session
        prefetch_claimants(session, [d["claimant"]["name"] for _, d, _ in records if d.get("claimant")])
        claims = []
        for _, data, verdicts in records:
            claim = new_claim(session, data)
            self.claims[claim.text] = claim
            self.urls[claim.text] = {a.article.url for a in claim.appearances}
            self.rated[claim.text] = set()
            self._verdicts(claim, verdicts)
            apply_summary([claim], summarise(claim.verdicts, claim.appearances))
            claims.append(claim)
        self.created = claims
        session.add_all(claims)
        session.flush()
        refresh_groups(session, link_and_index(session, claims))

    def add(self, claim: Claim, data: dict, verdicts: list[dict]) -> bool:
        """Add the appearances and verdicts the claim lacks; True when there were any."""
        added = False
        for appearance in data.get("appearances", ()):
            url = normalise_url(appearance["url"])
            if url not in self.urls[claim.text]:
                self.urls[claim.text].add(url)
                claim.appearances.append(build_appearance(self.session, appearance))
                added = True
        added = self._verdicts(claim, verdicts) or added
        if added:
            self.changed.add(claim.text)
        return added

    def _verdicts(self, claim: Claim, verdicts: list[dict]) -> bool:
        added = False
        for verdict in verdicts:
            publisher = publisher_for(self.session, verdict["publisher"])
            key = _verdict_key(publisher.site, verdict["rating"], verdict.get("url"))
            if key in self.rated[claim.text]:
                continue
            self.rated[claim.text].add(key)
            stored = _new_verdict(publisher, verdict)
            stored.organisation_id = self.actor.organisation_id
            if (earlier := self.current.get((claim.text, publisher.id))) is not None:
                self.superseded.append((earlier, stored))
            self.current[(claim.text, publisher.id)] = stored
            claim.verdicts.append(stored)
            self.verdicts.append(stored)
            added = True
        return added


def import_batch(records: list[Record], summary: BulkSummary, actor: Actor = SYSTEM) -> None:
    """One transaction: claims created or completed, linked, verdicts added, summaries refreshed."""
    with transaction() as session:
        links_before = session.scalar(select(func.count(ClaimLink.id)))
        batch = _Batch(session, records, actor)
        fresh: dict[str, Record] = {}
        for record in records:
            text = record[1]["text"].strip()
            if text not in batch.claims and text not in fresh:
                fresh[text] = record
        batch.create(list(fresh.values()))
        for record in records:
            _, data, verdicts = record
            text = data["text"].strip()
            if fresh.get(text) is record:
                summary.created += 1
            elif batch.add(batch.claims[text], data, verdicts):
                summary.updated += 1
            else:
                summary.unchanged += 1
        session.flush()
        for earlier, later in batch.superseded:
            earlier.superseded_by_id = later.id
        # Once per batch: every group that gained a verdict or an appearance after its insert.
        refresh_groups(session, {batch.claims[text].group_id for text in batch.changed})
        enqueue_events(session, batch.verdicts, before=batch.before)
        audit.record_many(session, actor, "claim.imported", batch.created)
        audit.record_many(session, actor, "verdict.imported", batch.verdicts)
        summary.links += session.scalar(select(func.count(ClaimLink.id))) - links_before
        summary.verdicts += len(batch.verdicts)


def import_records(records: Iterable[Record], batch_size: int = 500, actor: Actor = SYSTEM) -> BulkSummary:
    summary = BulkSummary()
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= batch_size:
            import_batch(batch, summary, actor)
            batch = []
    if batch:
        import_batch(batch, summary, actor)
    return summary


def import_claims(items: Iterable[dict], batch_size: int = 500, actor: Actor = SYSTEM) -> BulkSummary:
    """Claims in the shape POST /api/v1/claims takes (a "verdicts" list allowed), already valid."""
    records = ((number, {k: v for k, v in item.items() if k != "verdicts"}, item.get("verdicts", []))
               for number, item in enumerate(items, start=1))
    return import_records(records, batch_size, actor)


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
