"""Bulk import of claims in the shape POST /api/v1/claims accepts, linked as they arrive."""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from factcheck.models import ClaimLink
from factcheck.services import audit
from factcheck.services.actors import SYSTEM, Actor
from factcheck.services.claims import store_claims
from factcheck.services.uow import transaction


@dataclass
class ImportSummary:
    created: int = 0
    links: int = 0
    rejected: list[tuple[int, object]] = field(default_factory=list)  # (line number, reason)


def import_batch(items: list[dict], summary: ImportSummary, actor: Actor = SYSTEM) -> None:
    """One transaction per batch: a failure leaves none of the batch behind."""
    with transaction() as session:
        links_before = session.scalar(select(func.count(ClaimLink.id)))
        claims = store_claims(session, items)
        audit.record_many(session, actor, "claim.imported", claims)
        summary.links += session.scalar(select(func.count(ClaimLink.id))) - links_before
    summary.created += len(items)


def import_claims(items: Iterable[dict], batch_size: int = 500, actor: Actor = SYSTEM) -> ImportSummary:
    summary = ImportSummary()
    batch: list[dict] = []
    for data in items:
        batch.append(data)
        if len(batch) >= batch_size:
            import_batch(batch, summary, actor)
            batch = []
    if batch:
        import_batch(batch, summary, actor)
    return summary
