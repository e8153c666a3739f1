"""Bulk import of claims in the shape POST /api/v1/claims accepts, linked as they arrive."""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from factcheck.models import ClaimLink
from factcheck.services.claims import store_claims
from factcheck.services.uow import transaction


@dataclass
class ImportSummary:
    created: int = 0
    links: int = 0
    rejected: list[tuple[int, object]] = field(default_factory=list)  # (line number, reason)


def import_batch(items: list[dict], summary: ImportSummary) -> None:
    """One transaction per batch: a failure leaves none of the batch behind."""
    with transaction() as session:
        links_before = session.scalar(select(func.count(ClaimLink.id)))
        store_claims(session, items)
        session.flush()
        summary.links += session.scalar(select(func.count(ClaimLink.id))) - links_before
    summary.created += len(items)


def import_claims(items: Iterable[dict], batch_size: int = 500) -> ImportSummary:
    summary = ImportSummary()
    batch: list[dict] = []
    for data in items:
        batch.append(data)
        if len(batch) >= batch_size:
            import_batch(batch, summary)
            batch = []
    if batch:
        import_batch(batch, summary)
    return summary
