"""Near-duplicate links and "has this been checked?" matching."""
import marshmallow as ma
from marshmallow import validate

from factcheck.models import LINK_STATUSES
from factcheck.schemas.claims import ClaimSchema
from factcheck.schemas.common import StrictSchema, page_schema, text


class LinkedClaimSchema(ma.Schema):
    id = ma.fields.Integer()
    text = ma.fields.String()
    group_id = ma.fields.Integer()
    status = ma.fields.String()


class LinkSchema(ma.Schema):
    id = ma.fields.Integer()
    claim = ma.fields.Nested(LinkedClaimSchema, metadata={"description": "The pair's lower-id claim."})
    other = ma.fields.Nested(LinkedClaimSchema, metadata={"description": "The pair's higher-id claim."})
    score = ma.fields.Float(metadata={"description": "Similarity 0-100 by `scorer`."})
    scorer = ma.fields.String()
    status = ma.fields.String(validate=validate.OneOf(LINK_STATUSES))
    decided_by = ma.fields.String(
        allow_none=True, metadata={"description": "`engine` for auto-confirmed links, else the token's name."})
    decided_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    version = ma.fields.Integer(metadata={"description": "Also the ETag; send it back in If-Match."})


class LinkDecisionSchema(StrictSchema):
    status = ma.fields.String(required=True, validate=validate.OneOf(("confirmed", "rejected")))


class MatchQuerySchema(StrictSchema):
    text = text(5_000, required=True, metadata={"description": "Any text: a tweet, a quote, a headline."})
    limit = ma.fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class MatchSchema(ma.Schema):
    score = ma.fields.Float(metadata={"description": "0-1: retrieval rank fused with rapidfuzz similarity."})
    claim = ma.fields.Nested(ClaimSchema)


class MatchListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MatchSchema), required=True)


LinkPageSchema = page_schema(LinkSchema, "LinkPage")
