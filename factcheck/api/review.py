"""The review queue: suggested links across all claims, and decisions on many at once."""
from flask import g
from flask.views import MethodView

from factcheck.api.auth import requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response, returns
from factcheck.schemas.review import DecisionResultsSchema, DecisionsSchema, QueueArgsSchema, QueuePageSchema
from factcheck.services.links import review_queue
from factcheck.services.links.review_queue import Decision

blp = Blueprint("review", __name__, url_prefix="/api/v1/links", description="The review queue")


@blp.route("")
class Queue(MethodView):
    @blp.arguments(QueueArgsSchema, location="query")
    @returns(blp, 200, QueuePageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List links across all claims: the review queue (suggested, most similar first)"""
        return page_response(review_queue.list_links(args))


@blp.route("/decisions")
class Decisions(MethodView):
    @requires(blp, "factchecker")
    @blp.arguments(DecisionsSchema)
    @returns(blp, 200, DecisionResultsSchema)
    def post(self, data):
        """Confirm or reject many links, each at the version read; answered item by item"""
        decisions = [Decision(d["id"], d["status"], d["version"]) for d in data["decisions"]]
        return {"items": review_queue.decide_many(decisions, g.actor)}
