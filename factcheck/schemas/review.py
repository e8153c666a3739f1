"""The review queue of links across all claims, and decisions on many links at once."""
import marshmallow as ma
from marshmallow import validate

from factcheck.matching.explain import HELD_BACK
from factcheck.models import LINK_STATUSES
from factcheck.models.types import MAX_ID  # what an id or version column holds (INTEGER)
from factcheck.schemas.common import PageArgsSchema, StrictSchema, page_schema
from factcheck.schemas.links import LinkSchema
from factcheck.services.links.review_queue import ORDERS, OUTCOMES

MAX_DECISIONS = 100


class QueueArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default="suggested", validate=validate.OneOf(LINK_STATUSES),
                              metadata={"description": "Links of this status; `suggested` is the review queue."})
    order = ma.fields.String(load_default="score", validate=validate.OneOf(ORDERS),
                             metadata={"description": "`score`: most similar first; `newest`: latest found first."})


class QueueOutletSchema(ma.Schema):
    name = ma.fields.String()
    domain = ma.fields.String()


class QueueClaimantSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class QueueClaimSchema(ma.Schema):
    id = ma.fields.Integer()
    text = ma.fields.String(metadata={"description": "The wording as stored."})
    group_id = ma.fields.Integer()
    status = ma.fields.String()
    claimant = ma.fields.Nested(QueueClaimantSchema, allow_none=True)
    outlets = ma.fields.List(ma.fields.Nested(QueueOutletSchema),
                             metadata={"description": "The outlets that printed this wording."})


class ScorePartsSchema(ma.Schema):
    token_set_ratio = ma.fields.Float(metadata={"description": "rapidfuzz token_set_ratio, 0-100."})
    token_sort_ratio = ma.fields.Float(metadata={"description": "rapidfuzz token_sort_ratio, 0-100."})
    cosine = ma.fields.Float(allow_none=True, metadata={
        "description": "The two wordings' sentence vectors' cosine, -1-1 (null without the semantic stage)."})


class QueueItemSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(validate=validate.OneOf(LINK_STATUSES))
    score = ma.fields.Float(metadata={"description": (
        "0-100 by `scorer`: for `mean(token_set,token_sort)/v1`, the mean of `parts`' two ratios; for "
        "`decision/...`, 100 x the link decision's probability that the two say the same thing, weighing "
        "the ratios, the cosine and the guards on numbers, dates, negation and names (docs/matching.md).")})
    scorer = ma.fields.String()
    parts = ma.fields.Nested(ScorePartsSchema)
    held_back = ma.fields.List(ma.fields.String(validate=validate.OneOf(HELD_BACK)), metadata={
        "description": "Why the engine would not confirm this pair by itself: the score is under the "
                       "auto threshold, a wording is short, or a negation or a number is on one side only."})
    claim = ma.fields.Nested(QueueClaimSchema, metadata={"description": "The pair's lower-id claim."})
    other = ma.fields.Nested(QueueClaimSchema, metadata={"description": "The pair's higher-id claim."})
    decided_by = ma.fields.String(allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    version = ma.fields.Integer(metadata={"description": "Send it back with a decision."})


QueuePageSchema = page_schema(QueueItemSchema, "LinkQueuePage")


class DecisionSchema(StrictSchema):
    id = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    status = ma.fields.String(required=True, validate=validate.OneOf(("confirmed", "rejected")))
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID),
                                metadata={"description": "The link's version as read (its ETag, unquoted)."})


class DecisionsSchema(StrictSchema):
    decisions = ma.fields.List(ma.fields.Nested(DecisionSchema), required=True,
                               validate=validate.Length(min=1, max=MAX_DECISIONS), metadata={
                                   "description": "Decided in order: a link named twice is stale the second time."})


class DecisionResultSchema(ma.Schema):
    id = ma.fields.Integer()
    outcome = ma.fields.String(validate=validate.OneOf(OUTCOMES), metadata={
        "description": "`decided`; `stale` (the link changed since the version sent: read it again); "
                       "`not_found`; `conflict` (its group kept changing: retry)."})
    status = ma.fields.Integer(metadata={"description": "The status PATCH /links/{id} would have answered."})
    detail = ma.fields.String(allow_none=True)
    link = ma.fields.Nested(LinkSchema, allow_none=True)


class DecisionResultsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DecisionResultSchema), required=True)
