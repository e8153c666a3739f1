"""Webhooks: registration, and outbox rows written in the transaction of the change they announce."""
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session, object_session

from factcheck.errors import Invalid, NotFound, check_version
from factcheck.extensions import db
from factcheck.models import Claim, Verdict, Webhook, WebhookDelivery
from factcheck.models.types import utcnow
from factcheck.services.accounts.actors import Actor
from factcheck.services.claims.documents import claim_fields_by_id, verdict_documents_by_id
from factcheck.services.webhooks import targets as webhook_targets
from factcheck.settings import Settings
from factcheck.storage.pages import Page
from factcheck.storage.paging import newest_first
from factcheck.storage.uow import UNIT_OF_WORK, transaction, unit_of_work

SECRET_PREFIX = "whsec_"
VERSION = 1  # Webhooks cannot be edited, only deleted: their ETag never changes.


def create_webhook(data: dict, actor: Actor, settings: Settings) -> Webhook:
    """A new webhook of the actor's newsroom, with a random signing secret, which the API
    shows this once. Its url must reach a public address (WEBHOOKS_ALLOW_PRIVATE aside)."""
    if not settings.webhooks_allow_private:
        try:
            webhook_targets.target(data["url"])
        except webhook_targets.Refused as error:
            raise Invalid(f"Webhooks are not sent there: {error}", errors={"url": [str(error)]}) from error
    claim_ids = sorted(set(data.get("claim_ids", ())))
    with transaction() as session:
        if claim_ids:
            found = set(session.scalars(select(Claim.id).where(Claim.id.in_(claim_ids))))
            if missing := [i for i in claim_ids if i not in found]:
                raise Invalid(f"No claim has id {missing[0]}.",
                              errors={"claim_ids": [f"Unknown claim ids: {missing}."]})
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        webhook = Webhook(organisation_id=actor.organisation_id, url=data["url"], secret=secret,
                          claim_ids=claim_ids, description=data.get("description"), created_by=actor.name)
        session.add(webhook)
    return webhook


def get_webhook(webhook_id: int, actor: Actor) -> Webhook:
    """The webhook, if it is the actor's newsroom's (any, for an operator); otherwise 404."""
    webhook = db.session.get(Webhook, webhook_id)
    if webhook is None or not actor.manages(webhook.organisation_id):
        raise NotFound(f"No webhook has id {webhook_id}.")
    return webhook


def list_webhooks(actor: Actor, args: dict) -> Page[Webhook]:
    """The actor's newsroom's webhooks (every one, for an operator), newest first."""
    return newest_first(select(Webhook).where(actor.managed(Webhook.organisation_id)), Webhook.id, args)


def delete_webhook(webhook_id: int, actor: Actor, version: int | None) -> None:
    """Its pending deliveries go with it: nobody is left to receive them."""
    with transaction() as session:
        webhook = get_webhook(webhook_id, actor)
        check_version("webhook", VERSION, version)
        session.delete(webhook)


def list_deliveries(webhook_id: int, actor: Actor, args: dict) -> Page[WebhookDelivery]:
    """A webhook's deliveries, newest first, with what each attempt ended in."""
    get_webhook(webhook_id, actor)
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
    return newest_first(query, WebhookDelivery.id, args)


def remember_statuses() -> None:
    """Keep each claim's status before the unit of work first changes it (create_app)."""
    if not event.contains(Claim.status, "set", _remember_status):
        event.listen(Claim.status, "set", _remember_status)


def _remember_status(claim: Claim, _value, old, _initiator) -> None:
    # Only in a unit of work: a session of its own (a script's, a test's) keeps nothing.
    session = object_session(claim)
    unit = session.info.get(UNIT_OF_WORK) if session is not None else None
    if unit is not None and claim.id is not None and isinstance(old, str):
        unit.statuses_before.setdefault(claim.id, old)


# What an event shows of a claim and of a verdict: these fields of their documents
# (services.claims.documents), times as ISO 8601 text.
CLAIM_FIELDS = ("id", "text", "group_id", "status", "consensus", "contested_because", "contest_score")
VERDICT_FIELDS = ("id", "claim_id", "publisher", "rating", "score", "category", "url", "review_date")


def _shown(document: dict, fields: tuple[str, ...]) -> dict:
    return {name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in ((name, document[name]) for name in fields)}


def _claim(document: dict, members: list[Claim]) -> dict:
    return {**_shown(document, CLAIM_FIELDS), "group_claim_ids": sorted(c.id for c in members)}


def enqueue_events(session: Session, verdicts: Iterable[Verdict] = (),
                   before: Mapping[int, str] | None = None) -> int:
    """Outbox rows, in the caller's transaction, for new published verdicts and for groups
    that became contested; returns how many. Nothing is sent here: deliver-webhooks does.

    `before` maps claim ids to their status before the write, for claims whose change the
    session cannot see (a bulk import's rows); added to what the unit of work saw change
    (UnitOfWork.statuses_before: a stored group that a new claim joined, say). Call it after refresh_groups,
    before the commit.
    """
    before = {**unit_of_work(session).statuses_before, **(before or {})}
    verdicts = [v for v in verdicts if v.status == "published"]
    if not (verdicts or before):  # nothing to announce: the webhooks need not be read
        return 0
    hooks = session.scalars(select(Webhook).order_by(Webhook.id)).all()
    if not hooks:
        return 0
    session.flush()  # ids for the payloads
    groups = select(Claim.group_id).where(Claim.id.in_({v.claim_id for v in verdicts} | set(before)))
    members: dict[int, list[Claim]] = defaultdict(list)
    by_id = {}
    for claim in session.scalars(select(Claim).where(Claim.group_id.in_(groups))):
        members[claim.group_id].append(claim)
        by_id[claim.id] = claim

    announced = [(verdict, by_id[verdict.claim_id]) for verdict in verdicts]
    contested = []
    for group in members.values():
        became = [c for c in group if c.id in before and before[c.id] != "contested" and c.status == "contested"]
        if became:
            contested.append((min(became, key=lambda c: c.id), group))
    claims = claim_fields_by_id([claim.id for _, claim in announced] + [claim.id for claim, _ in contested])
    shown_verdicts = verdict_documents_by_id(verdict.id for verdict, _ in announced)
    events = [("verdict.created", members[claim.group_id],
               {"claim": _claim(claims[claim.id], members[claim.group_id]),
                "verdict": _shown(shown_verdicts[verdict.id], VERDICT_FIELDS)}) for verdict, claim in announced]
    events += [("claim.contested", group, {"claim": _claim(claims[claim.id], group)}) for claim, group in contested]

    now, deliveries = utcnow(), []
    for event_type, group, body in events:
        ids = {c.id for c in group}
        for hook in hooks:
            if hook.follows(ids):
                event_id = str(uuid.uuid4())
                payload = {"id": event_id, "type": event_type, "created_at": now.isoformat(), **body}
                deliveries.append({"webhook_id": hook.id, "event_id": event_id, "event_type": event_type,
                                   "payload": payload, "next_attempt_at": now, "created_at": now})
    if deliveries:
        # One executemany: a bulk import enqueues an event per verdict.
        session.execute(insert(WebhookDelivery), deliveries)
    return len(deliveries)
