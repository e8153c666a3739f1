"""The webhook worker: drains the outbox, signs each POST, retries failures with backoff."""
import hashlib
import hmac
import http.client
import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from factcheck.models import Webhook, WebhookDelivery
from factcheck.models.types import utcnow
from factcheck.services.webhooks import targets as webhook_targets
from factcheck.settings import Settings
from factcheck.storage.uow import transaction

MAX_ATTEMPTS = 8  # 1 + 2 + ... + 64 minutes of retries (about two hours), then "failed"
BACKOFF = timedelta(minutes=1)
USER_AGENT = "factcheck-webhooks/1"


@dataclass
class Run:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed


@dataclass(frozen=True)
class _Job:
    delivery_id: int
    event_id: str
    event_type: str
    payload: dict
    url: str
    secret: str


def sign(secret: str, body: bytes) -> str:
    """The X-Factcheck-Signature header: HMAC-SHA256 of the raw body, keyed by the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(payload: dict) -> bytes:
    # Canonical, so that every retry of an event sends (and signs) the same bytes.
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _post(job: _Job, timeout: float, allow_private: bool) -> str | None:
    """None when the receiver answered 2xx; otherwise what went wrong. The host is resolved
    and checked again now: what it named at registration may have changed since."""
    body = body_of(job.payload)
    headers = {
        "Content-Type": "application/json", "User-Agent": USER_AGENT,
        "X-Factcheck-Event": job.event_type, "X-Factcheck-Event-Id": job.event_id,
        "X-Factcheck-Timestamp": str(int(utcnow().timestamp())),
        "X-Factcheck-Signature": sign(job.secret, body),
    }
    try:
        status, reason = webhook_targets.post(webhook_targets.target(job.url, allow_private), body, headers,
                                              timeout)
    except webhook_targets.Refused as error:
        return f"refused: {error}"
    except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out, bad TLS or HTTP
        return f"unreachable: {type(error).__name__}: {error}"
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return f"HTTP {status} {reason}: redirects are not followed (register the new url)"
    return f"HTTP {status} {reason}"


def _claim_due(limit: int, lease: timedelta) -> list[_Job]:
    """Take due rows for this worker: leased (pushed into the future) in a short transaction,
    so the POSTs run without holding a lock, and a worker that dies only delays its rows."""
    with transaction() as session:
        now = utcnow()
        rows = session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
            # PostgreSQL: concurrent workers skip each other's rows. SQLite: BEGIN IMMEDIATE
            # already serialises the workers (FOR UPDATE is not rendered there).
            .with_for_update(skip_locked=True)
        ).all()
        hooks = {h.id: h for h in session.scalars(select(Webhook).where(
            Webhook.id.in_({row.webhook_id for row in rows})))}
        for row in rows:
            row.next_attempt_at = now + lease
        return [_Job(row.id, row.event_id, row.event_type, row.payload, hooks[row.webhook_id].url,
                     hooks[row.webhook_id].secret) for row in rows]


def _record(job: _Job, error: str | None, run: Run) -> None:
    with transaction() as session:
        row = session.get(WebhookDelivery, job.delivery_id)
        if row is None:  # the webhook was deleted meanwhile
            return
        now = utcnow()
        row.attempts += 1
        row.last_attempt_at = now
        row.last_error = error[:1000] if error else None
        if error is None:
            row.status, row.delivered_at = "delivered", now
            run.delivered += 1
        elif row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
            run.failed += 1
        else:
            row.next_attempt_at = now + BACKOFF * 2 ** (row.attempts - 1)
            run.retrying += 1


def deliver_due(settings: Settings, limit: int = 50, timeout: float = 10.0) -> Run:
    """Send up to `limit` due deliveries once each, recording every attempt."""
    run = Run()
    jobs = _claim_due(limit, lease=timedelta(seconds=limit * timeout + 60))
    for job in jobs:
        _record(job, _post(job, timeout, settings.webhooks_allow_private), run)
    return run
