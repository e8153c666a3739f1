"""schema.org ClaimReview JSON-LD: per claim, as a paginated DataFeed, and imported."""
from functools import wraps

from flask import current_app, g, request
from flask.views import MethodView
from werkzeug.exceptions import RequestEntityTooLarge

from factcheck.api.auth import requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.output import LD_JSON, ld_json
from factcheck.api.pages import LINK_HEADER, page_response
from factcheck.errors import DomainError, TooLarge
from factcheck.schemas.claimreview import ClaimReviewSchema, DataFeedSchema, ImportSummarySchema
from factcheck.schemas.claimreview_import import ClaimReviewDocumentSchema
from factcheck.schemas.common import PageArgsSchema
from factcheck.services.exchange import claimreview, claimreview_import

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


def bounded_import(view):
    """An import past API_IMPORT_MAX_BYTES is refused before it is read (413, saying what to
    do instead); one without a body would import nothing and say 200, so it is refused too."""
    @wraps(view)
    def checked(*args, **kwargs):
        request.max_content_length = current_app.config["API_IMPORT_MAX_BYTES"]
        try:
            body = request.get_data(cache=True)
        except RequestEntityTooLarge:
            raise TooLarge(claimreview_import.too_large(f"over {request.max_content_length:,} bytes")) from None
        if not body.strip():
            raise DomainError("Send a ClaimReview, an array of them, or a DataFeed as JSON.")
        return view(*args, **kwargs)
    return checked


@blp.route("/claims/<id:claim_id>/claimreview")
class ClaimReviews(MethodView):
    @ld_json
    @blp.response(200, ClaimReviewSchema(many=True), content_type=LD_JSON)
    @blp.alt_response(404, description="No claim has this id.")
    @blp.alt_response(410, description="An editor removed the claim.")
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
    @requires(blp, "factchecker", idempotency_key=False)
    @bounded_import
    @blp.arguments(ClaimReviewDocumentSchema)
    @blp.response(200, ImportSummarySchema)
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.alt_response(413, description="More reviews (API_IMPORT_MAX_ITEMS) or bytes (API_IMPORT_MAX_BYTES) "
                                       "than one request imports: split the file, or use the CLI.")
    @blp.doc(requestBody=IMPORT_BODY)
    def post(self, document):
        """Import ClaimReview JSON-LD

        Claims, claimants, appearances and verdicts are created or updated, keyed on each
        review's url, so importing the same feed twice changes nothing. Each review is
        imported in its own transaction, all or nothing; a malformed one is reported
        (`rejected`, by index) while the others are imported. Being idempotent by review url,
        the import takes no `Idempotency-Key` (one sent is ignored): a retry imports nothing
        twice, and reports the reviews the first attempt stored as `unchanged`.
        At most `API_IMPORT_MAX_ITEMS` reviews (default 250) and `API_IMPORT_MAX_BYTES`
        (default 512 KiB) per request; split larger files, or import them on the server with
        `flask --app app import-claimreview FILE`.
        """
        return claimreview_import.import_document(document, g.actor,
                                                  max_items=current_app.config["API_IMPORT_MAX_ITEMS"])
