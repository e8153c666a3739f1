"""Webhooks a newsroom registers to hear of new verdicts and newly contested claims."""
from flask import g, url_for
from flask.views import MethodView

from factcheck.api.auth import ETAG_HEADER, etag, expected_version, requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response
from factcheck.schemas.common import PageArgsSchema
from factcheck.schemas.webhooks import (
    DeliveryPageSchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookPageSchema,
    WebhookSchema,
)
from factcheck.services.webhooks import outbox as webhooks
from factcheck.settings import current as settings

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks", description="Webhooks (admin)")


@blp.route("")
class Webhooks(MethodView):
    @requires(blp, "admin")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, WebhookPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List your newsroom's webhooks (every one, for operators), newest first"""
        return page_response(webhooks.list_webhooks(g.actor, args))

    @requires(blp, "admin")
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookCreatedSchema, headers={"Location": {"schema": {"type": "string"}}, **ETAG_HEADER})
    @blp.alt_response(400, description="The body is not valid JSON.")
    def post(self, data):
        """Register a webhook for your newsroom; the answer shows its signing secret this once.
        Its url must reach public addresses only (not loopback, private, link-local, multicast,
        reserved or unspecified ones), unless the operator allows private receivers."""
        webhook = webhooks.create_webhook(data, g.actor, settings())
        return webhook, {"Location": url_for("webhooks.Webhook", webhook_id=webhook.id), **etag(webhooks.VERSION)}


@blp.route("/<id:webhook_id>")
class Webhook(MethodView):
    @requires(blp, "admin")
    @blp.response(200, WebhookSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No webhook of your newsroom has this id.")
    def get(self, webhook_id):
        """Show a webhook (never its secret)"""
        return webhooks.get_webhook(webhook_id, g.actor), etag(webhooks.VERSION)

    @requires(blp, "admin")
    @blp.response(204)
    @blp.alt_response(404, description="No webhook of your newsroom has this id.")
    def delete(self, webhook_id):
        """Delete a webhook and its pending deliveries"""
        webhooks.delete_webhook(webhook_id, g.actor, expected_version())


@blp.route("/<id:webhook_id>/deliveries")
class Deliveries(MethodView):
    @requires(blp, "admin")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, DeliveryPageSchema, headers=LINK_HEADER)
    @blp.alt_response(404, description="No webhook of your newsroom has this id.")
    def get(self, args, webhook_id):
        """List a webhook's deliveries, newest first, with each one's attempts and last error"""
        return page_response(webhooks.list_deliveries(webhook_id, g.actor, args))
