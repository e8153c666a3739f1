"""Near-duplicate links between claims, and matching free text against checked claims."""
from flask import g
from flask.views import MethodView

from factcheck.api.auth import ETAG_HEADER, etag, expected_version, requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response, returns
from factcheck.schemas.common import PageArgsSchema
from factcheck.schemas.links import (
    LinkDecisionSchema,
    LinkPageSchema,
    LinkSchema,
    MatchListSchema,
    MatchQuerySchema,
)
from factcheck.services.links import decisions as links

blp = Blueprint("links", __name__, url_prefix="/api/v1", description="Near-duplicate links and matching")


@blp.route("/claims/<id:claim_id>/links")
class ClaimLinks(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @returns(blp, 200, LinkPageSchema, headers=LINK_HEADER)
    @blp.alt_response(404, description="No claim has this id.")
    def get(self, args, claim_id):
        """List a claim's near-duplicate links, most similar first"""
        return page_response(links.links_of(claim_id, args))


@blp.route("/links/<id:link_id>")
class Link(MethodView):
    @returns(blp, 200, LinkSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No link has this id.")
    def get(self, link_id):
        """Show a link"""
        document = links.get_link(link_id)
        return document, etag(document["version"])

    @requires(blp, "factchecker")
    @blp.arguments(LinkDecisionSchema)
    @returns(blp, 200, LinkSchema, headers=ETAG_HEADER)
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.alt_response(404, description="No link has this id.")
    def patch(self, data, link_id):
        """Confirm or reject a link; groups merge or split accordingly"""
        link = links.decide_link(link_id, data["status"], g.actor, expected_version())
        document = links.get_link(link.id)
        return document, etag(document["version"])


@blp.route("/claims/match")
class Match(MethodView):
    @blp.arguments(MatchQuerySchema)
    @returns(blp, 200, MatchListSchema)
    @blp.alt_response(400, description="The body is not valid JSON.")
    def post(self, query):
        """Has this been checked? Stored claims that best match any text, best first"""
        return {"items": links.check(query["text"], query["limit"])}
