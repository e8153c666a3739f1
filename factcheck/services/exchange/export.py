"""Bulk export: every claim not removed, as POST /claims takes it, with its published verdicts, so that
an export imports again (services.exchange.bulk)."""
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.claims.documents import claim_rows, documents
from factcheck.storage.uow import read_connection

# The fields of a claim's document (services.claims.documents) that the create schemas take
# (the rest are the server's: ids, times, summaries); `language` only when it was given.
CLAIM_FIELDS = ("text", "language", "claimant", "claim_date")
APPEARANCE_FIELDS = ("url", "outlet", "title", "quote", "stance", "claimant", "published_at")
VERDICT_FIELDS = ("publisher", "rating", "rating_value", "best_rating", "worst_rating", "explanation", "url",
                  "review_date")


def _taken(document: dict, fields: tuple[str, ...]) -> dict:
    """These fields as a create schema takes them: absent, not null (the schemas take no
    nulls), times as ISO 8601 text, a claimant by its name (the server gives the id)."""
    record = {}
    for name in fields:
        value = document[name]
        if name == "claimant" and value is not None:
            value = {"name": value["name"]}
        if value is not None:
            record[name] = value.isoformat() if isinstance(value, datetime) else value
    return record


def record_of(document: dict) -> dict:
    """A claim's document as POST /claims takes it, with its own published verdicts."""
    record = _taken(document, CLAIM_FIELDS)
    if document["language_source"] == "detected":  # detected again on import
        del record["language"]
    record["appearances"] = [_taken(a, APPEARANCE_FIELDS) for a in document["appearances"]]
    record["verdicts"] = [_taken(v, VERDICT_FIELDS) for v in document["verdicts"]
                          if v["claim_id"] == document["id"]]  # the document's are its group's
    return record


def count_claims() -> int:
    return db.session.scalar(select(func.count(Claim.id)).where(Claim.removed_at.is_(None)))


def export_records(batch_size: int = 500) -> Iterator[tuple[int, dict]]:
    """Every claim in id order, as (id, record); memory stays flat whatever the size."""
    last_id = 0
    while True:
        rows = read_connection().execute(
            claim_rows().where(Claim.id > last_id).order_by(Claim.id).limit(batch_size)).all()
        if not rows:
            return
        for document in documents(rows):
            yield document["id"], record_of(document)
        last_id = rows[-1].id
