"""Webhooks: what an admin registers, and the deliveries it can inspect."""
import marshmallow as ma
from marshmallow import validate

from factcheck.models import DELIVERY_STATUSES, WEBHOOK_EVENTS
from factcheck.models.types import MAX_ID
from factcheck.schemas.common import HOOK_URL_PATTERN, StrictSchema, page_schema, text, web_url


class WebhookCreateSchema(StrictSchema):
    url = web_url(HOOK_URL_PATTERN, required=True, metadata={
        "description": "Receives a signed POST per event; redirects are not followed. Every address its "
                       "host resolves to must be public, unless the operator allows private receivers."})
    claim_ids = ma.fields.List(
        ma.fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        load_default=list, validate=validate.Length(max=1000),
        metadata={"description": "Claims followed (with their groups); empty or absent: every claim."})
    description = text(200)


class WebhookSchema(ma.Schema):
    id = ma.fields.Integer()
    organisation_id = ma.fields.Integer(allow_none=True, metadata={
        "description": "The newsroom whose admins manage it (null: registered before webhooks had one; "
                       "operators only)."})
    url = ma.fields.String()
    claim_ids = ma.fields.List(ma.fields.Integer())
    description = ma.fields.String(allow_none=True)
    events = ma.fields.Constant(list(WEBHOOK_EVENTS), metadata={"description": "Events sent."})
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class WebhookCreatedSchema(WebhookSchema):
    secret = ma.fields.String(metadata={
        "description": "Shown this once. Each POST carries `X-Factcheck-Signature: sha256=<hex>`, "
                       "the HMAC-SHA256 of the raw body keyed by this secret, with "
                       "`X-Factcheck-Event`, `X-Factcheck-Event-Id` and `X-Factcheck-Timestamp`."})


class DeliverySchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.String()
    event_type = ma.fields.String(validate=validate.OneOf(WEBHOOK_EVENTS))
    payload = ma.fields.Dict()
    status = ma.fields.String(validate=validate.OneOf(DELIVERY_STATUSES))
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.DateTime()
    last_attempt_at = ma.fields.DateTime(allow_none=True)
    last_error = ma.fields.String(allow_none=True)
    delivered_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()


WebhookPageSchema = page_schema(WebhookSchema, "WebhookPage")
DeliveryPageSchema = page_schema(DeliverySchema, "DeliveryPage")
