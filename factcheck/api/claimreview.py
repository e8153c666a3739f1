"""schema.org ClaimReview JSON-LD: per claim, as a paginated DataFeed, and imported."""
from functools import wraps

from flask import g, request
from flask.views import MethodView

from factcheck.api.auth import requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response
from factcheck.errors import DomainError
from factcheck.schemas.claimreview import ClaimReviewSchema, DataFeedSchema, ImportSummarySchema
from factcheck.schemas.claimreview_import import ClaimReviewDocumentSchema
from factcheck.schemas.common import PageArgsSchema
from factcheck.services import claimreview, claimreview_import

LD_JSON = "application/ld+json"
# An array's elements that are not ClaimReviews (nor arrays of them) are reported in `rejected`.
_ANY_JSON = {"oneOf": [{"type": "object"}, {"type": "array"}]}
IMPORT_BODY = {
    "required": True,
    "description": "One ClaimReview, an array of them, or a schema.org DataFeed whose dataFeedElement "
                   "holds ClaimReviews or DataFeedItems with ClaimReviews in `item` (as the Data "
                   "Commons feed has them). Each needs `url`, `claimReviewed` and "
                   "`reviewRating.alternateName`.",
    "content": {"application/json": {"schema": _ANY_JSON}, LD_JSON: {"schema": _ANY_JSON}},
}

blp = Blueprint("claimreview", __name__, url_prefix="/api/v1", description="schema.org ClaimReview in and out")


def ld_json(view):
    """Answer with JSON-LD's own media type, which the spec documents."""
    @wraps(view)
    def answered(*args, **kwargs):
        response = view(*args, **kwargs)
        response.mimetype = LD_JSON
        return response
    return answered


def body_required(view):
    """Every field of a document is optional, so an absent body would import nothing and
    say 200; refuse it as the unparseable body it is."""
    @wraps(view)
    def checked(*args, **kwargs):
        if not request.get_data(cache=True).strip():
            raise DomainError("Send a ClaimReview, an array of them, or a DataFeed as JSON.")
        return view(*args, **kwargs)
    return checked


@blp.route("/claims/<id:claim_id>/claimreview")
class ClaimReviews(MethodView):
    @ld_json
    @blp.response(200, ClaimReviewSchema(many=True), content_type=LD_JSON)
    @blp.alt_response(404, description="No claim has this id.")
    def get(self, claim_id):
        """The claim's published verdicts as ClaimReview JSON-LD

        One ClaimReview per published verdict on any wording in the claim's group, each
        naming (in `claimReviewed` and `itemReviewed`) the wording it was given on.
        """
        return claimreview.claim_reviews(claim_id)


@blp.route("/claimreviews")
class Feed(MethodView):
    @ld_json
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, DataFeedSchema, content_type=LD_JSON, headers=LINK_HEADER)
    def get(self, args):
        """Every published review as a schema.org DataFeed, least recently changed first

        A review published or revised while a crawler follows `next_cursor` (or the `Link`
        header) moves to the end of the feed, so the crawler never misses one.
        """
        return page_response(claimreview.review_feed(args))


@blp.route("/claimreviews/import")
class Import(MethodView):
    @requires(blp, "factchecker")
    @body_required
    @blp.arguments(ClaimReviewDocumentSchema)
    @blp.response(200, ImportSummarySchema)
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.doc(requestBody=IMPORT_BODY)
    def post(self, document):
        """Import ClaimReview JSON-LD

        Claims, claimants, appearances and verdicts are created or updated, keyed on each
        review's url, so importing the same feed twice changes nothing. Each review is
        imported in its own transaction; a malformed one is reported (`rejected`, by index)
        while the others are imported.
        """
        return claimreview_import.import_document(document, g.actor)
