"""Google Fact Check Tools' claims:search: its query parameters and its answer's shape."""
from datetime import UTC, datetime

import marshmallow as ma
from marshmallow import validate

from factcheck.schemas.claimreview import first_appearance
from factcheck.schemas.claims import BCP47
from factcheck.schemas.common import MAX_PAGE_SIZE, NO_NUL_PATTERN, StrictSchema, no_nul

IGNORED = "Accepted for Google's clients; it changes nothing here."


def google_time(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z, as Google writes its timestamps."""
    return value and value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _ignored(description: str = IGNORED, **kwargs) -> ma.fields.String:
    return ma.fields.String(validate=validate.Length(max=2048), metadata={"description": description}, **kwargs)


class ClaimSearchArgsSchema(StrictSchema):
    """The parameters of Google's v1alpha1 claims:search, and its standard ones."""

    query = ma.fields.String(validate=[validate.Length(min=1, max=5000), no_nul], metadata={
        "description": "Any text; ranked by the matcher. Required unless reviewPublisherSiteFilter is given.",
        "pattern": NO_NUL_PATTERN})
    languageCode = ma.fields.String(validate=[validate.Length(max=35), BCP47], metadata={
        "description": "BCP-47; the region is not considered (`en-US` finds `en` and `en-GB`)."})
    reviewPublisherSiteFilter = ma.fields.String(
        validate=[validate.Length(min=3, max=253),
                  validate.Regexp(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", error="Not a site such as politifact.com.")],
        metadata={"description": "Only reviews by this publisher site (or its subdomains)."})
    maxAgeDays = ma.fields.Integer(validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "Only reviews whose review date or claim date, whichever is newer, is this recent."})
    pageSize = ma.fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
                                 metadata={"description": f"1 to {MAX_PAGE_SIZE}; Google's default 10."})
    pageToken = ma.fields.String(validate=validate.Length(max=200),
                                 metadata={"description": "`nextPageToken` of the previous page."})
    offset = ma.fields.Integer(validate=validate.Range(min=0, max=1000),
                               metadata={"description": "Results to skip; only without pageToken."})
    alt = ma.fields.String(validate=validate.OneOf(["json"]), metadata={"description": "Only `json`."})
    key = _ignored()
    # `fields` would shadow Schema.fields.
    partial_fields = _ignored("Partial responses are not implemented: every field comes back.", data_key="fields")
    prettyPrint = ma.fields.Boolean(metadata={"description": IGNORED})
    quotaUser = _ignored()
    access_token = _ignored()
    oauth_token = _ignored()
    uploadType = _ignored()
    upload_protocol = _ignored()
    xgafv = ma.fields.String(data_key="$.xgafv", validate=validate.OneOf(["1", "2"]),
                             metadata={"description": "Errors are problem+json whichever is asked."})
    # Google's `callback` (JSONP) is not offered. It is left out of the schema, so the spec
    # lists no value that works; the unknown-field check refuses it, with this reason too.

    @ma.validates_schema(pass_original=True)
    def _no_jsonp(self, data, original, **kwargs):
        if "callback" in original:
            raise ma.ValidationError("JSONP is not supported; call with CORS or from a server.", "callback")

    @ma.validates_schema
    def _query_or_site(self, data, **kwargs):
        if not data.get("query") and not data.get("reviewPublisherSiteFilter"):
            raise ma.ValidationError("Required unless reviewPublisherSiteFilter is given.", "query")


class GooglePublisherSchema(ma.Schema):
    name = ma.fields.String()
    site = ma.fields.String()


class GoogleReviewSchema(ma.Schema):
    publisher = ma.fields.Nested(GooglePublisherSchema, attribute="signed_by")
    url = ma.fields.String()
    title = ma.fields.String(metadata={"description": "Not stored here yet, so never present."})
    reviewDate = ma.fields.Function(lambda v: google_time(v.review_date))
    textualRating = ma.fields.String(attribute="rating")
    languageCode = ma.fields.String(attribute="claim.language",
                                    metadata={"description": "The reviewed claim's language."})

    @ma.post_dump
    def _drop_empty(self, data, **kwargs):
        return {key: value for key, value in data.items() if value is not None}


class GoogleClaimSchema(ma.Schema):
    text = ma.fields.String(attribute="claim.text")
    claimant = ma.fields.Function(lambda found: found.claim.claimant and found.claim.claimant.name)
    claimDate = ma.fields.Function(
        lambda found: google_time(found.claim.claim_date) or (
            (first := first_appearance(found.claim)) and google_time(first.article.published_at)),
        metadata={"description": "When the claim was made, else first printed, if known."})
    claimReview = ma.fields.List(ma.fields.Nested(GoogleReviewSchema), attribute="reviews")

    @ma.post_dump
    def _drop_empty(self, data, **kwargs):
        return {key: value for key, value in data.items() if value is not None}


class ClaimSearchResponseSchema(ma.Schema):
    claims = ma.fields.List(ma.fields.Nested(GoogleClaimSchema), attribute="items")
    nextPageToken = ma.fields.String(attribute="next_cursor",
                                     metadata={"description": "Absent on the last page, as at Google."})

    @ma.post_dump
    def _drop_empty(self, data, **kwargs):
        return {key: value for key, value in data.items() if value is not None}
