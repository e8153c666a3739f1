"""Idempotency keys: a retried POST gets the first response instead of a second write."""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from factcheck.errors import Conflict, Invalid
from factcheck.extensions import db
from factcheck.models import IdempotencyKey
from factcheck.models.types import utcnow
from factcheck.services.sources import dialect_insert
from factcheck.services.uow import transaction

KEEP_FOR = timedelta(hours=24)
# A first request still "in flight" after this long died with its worker (gunicorn's
# timeout is 30 s): a retry may then take the key over.
IN_FLIGHT_FOR = timedelta(minutes=2)


@dataclass(frozen=True)
class Stored:
    status: int
    body: str
    headers: dict


def begin(user_id: int, key: str, request_hash: str) -> int | Stored:
    """Claim the key for this request (returns the record id) or return what to replay."""
    now = utcnow()
    with transaction() as session:
        existing = session.scalars(select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)).first()
        if existing is not None:
            expired = existing.created_at < now - KEEP_FOR
            abandoned = existing.response_status is None and existing.created_at < now - IN_FLIGHT_FOR
            if expired or abandoned:
                session.delete(existing)
                session.flush()
            elif existing.request_hash != request_hash:
                raise Invalid("This Idempotency-Key was already used with a different request.",
                              errors={"Idempotency-Key": ["Reused with a different request."]})
            elif existing.response_status is None:
                raise Conflict("A request with this Idempotency-Key is still in progress; retry later.")
            else:
                return Stored(existing.response_status, existing.response_body or "",
                              existing.response_headers or {})
        record_id = session.execute(
            dialect_insert(session)(IdempotencyKey)
            .values(user_id=user_id, key=key, request_hash=request_hash, created_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
            .returning(IdempotencyKey.id)
        ).scalar()
        if record_id is None:  # another worker claimed it a moment ago
            raise Conflict("A request with this Idempotency-Key is still in progress; retry later.")
        if existing is None:
            session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEEP_FOR))
    return record_id


def finish(record_id: int, status: int, body: str, headers: dict) -> None:
    with transaction():
        record = db.session.get(IdempotencyKey, record_id)
        if record is not None:
            record.response_status, record.response_body, record.response_headers = status, body, headers


def abandon(record_id: int) -> None:
    """The request failed on the server's side: let a retry run it again."""
    with transaction() as session:
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == record_id))
