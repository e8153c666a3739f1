"""Webhooks newsrooms register, and the outbox of deliveries a worker drains."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.extensions import db
from factcheck.models.types import UTCDateTime, utcnow

WEBHOOK_EVENTS = ("verdict.created", "claim.contested")
DELIVERY_STATUSES = ("pending", "delivered", "failed")


class Webhook(db.Model):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Its newsroom's admins manage it; None (registered before webhooks had one): operators only.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    # Kept in clear: signing needs it. It is shown to the newsroom once, at registration.
    secret: Mapped[str] = mapped_column(String(128))
    # Claim ids followed; an empty list follows every claim. Few webhooks, short lists:
    # matching them in Python beats a join table.
    claim_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    description: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def follows(self, claim_ids: set[int]) -> bool:
        return not self.claim_ids or bool(claim_ids.intersection(self.claim_ids))


class WebhookDelivery(db.Model):
    """One event for one webhook: written with the change that caused it, sent later."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    # Sent as X-Factcheck-Event-Id: receivers drop duplicates (a worker may die after the POST).
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    webhook: Mapped[Webhook] = relationship()

    # The worker's poll: due pending rows, oldest first.
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)
