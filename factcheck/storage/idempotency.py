"""Idempotency keys: a retried POST gets the first response instead of a second write."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factcheck.errors import Conflict, Invalid
from factcheck.models import IdempotencyKey
from factcheck.models.types import utcnow
from factcheck.services.claims.sources import dialect_insert
from factcheck.storage.uow import held_transaction

KEEP_FOR = timedelta(hours=24)
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict


class _NotKept(Exception):
    """A server error: its writes and its key are rolled back, so a retry runs again."""

    def __init__(self, result):
        self.result = result


def once(user_id: int, key: str, request_hash: str, handle: Callable[[], tuple[T, Answer]]) -> T | Answer:
    """Run a request at most once per (user, key).

    When the key already has an answer, that Answer is returned, to replay. Otherwise
    `handle()` runs the request and returns (its result, the Answer to keep): the Answer
    commits in one transaction with everything the request wrote, and the result is
    returned. A 5xx keeps nothing, neither the writes nor the key, so a retry runs again.
    A request sent with the same key meanwhile waits for that commit (the first holds the
    key's row), then replays the answer.
    """
    try:
        with held_transaction() as session:
            if (stored := _stored(session, user_id, key, request_hash)) is not None:
                return stored
            record_id = session.execute(
                dialect_insert(session)(IdempotencyKey)
                .values(user_id=user_id, key=key, request_hash=request_hash, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=["user_id", "key"])
                .returning(IdempotencyKey.id)
            ).scalar()
            if record_id is None:  # another worker's first request committed while this one waited
                if (stored := _stored(session, user_id, key, request_hash)) is not None:
                    return stored
                raise Conflict("Another request with this Idempotency-Key was being handled; retry.")
            result, answer = handle()
            if answer.status >= 500:
                raise _NotKept(result)
            record = session.get(IdempotencyKey, record_id)
            record.response_status, record.response_body, record.response_headers = (
                answer.status, answer.body, answer.headers)
            return result
    except _NotKept as failed:
        return failed.result


def _stored(session: Session, user_id: int, key: str, request_hash: str) -> Answer | None:
    """The replayable answer for the key, if any; an expired key is removed with its peers."""
    existing = session.scalars(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)).first()
    now = utcnow()
    if existing is None or existing.created_at < now - KEEP_FOR:
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEEP_FOR))
        return None
    if existing.request_hash != request_hash:
        raise Invalid("This Idempotency-Key was already used with a different request.",
                      errors={"Idempotency-Key": ["Reused with a different request."]})
    return Answer(existing.response_status, existing.response_body, existing.response_headers or {})
