"""What the service remembers about writes: the audit trail, idempotency keys, rate counters."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from factcheck.extensions import db
from factcheck.models.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One write: who (user, token, organisation), what, and the object before and after."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    # The claim the write concerns, so a claim's history is one indexed query.
    claim_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    # Set while the entry shows a draft: only that organisation may read it in a history.
    private_to: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    # An object's entries by its kind and id: a claim's history reads its links' this way.
    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_id"),)


class IdempotencyKey(db.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed for retries."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    # None only inside the transaction of the key's first request, which stores the answer.
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)


class RateCounter(db.Model):
    """Requests counted per subject (a token, or a client address failing to authenticate)
    and fixed window, in the database so that every worker counts against one limit."""

    __tablename__ = "rate_counters"

    subject: Mapped[str] = mapped_column(String(100), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_rate_counters_window", "window"),)
