"""Verdicts: the label as the publisher printed it, and its normalised score and category."""
from typing import ClassVar

import marshmallow as ma
from marshmallow import validate

from factcheck.models import VERDICT_STATUSES
from factcheck.ratings import CATEGORIES, scale_errors
from factcheck.schemas.accounts import SITE_PATTERN
from factcheck.schemas.common import StrictSchema, past_datetime, text, web_url


class PublisherSchema(StrictSchema):
    name = text(200, required=True)
    site = ma.fields.String(
        required=True,
        validate=[validate.Length(min=3, max=253),
                  validate.Regexp(SITE_PATTERN, error="Not a site domain such as politifact.com.")],
        metadata={"description": "The publisher's domain, e.g. politifact.com (an IDN one in its xn-- form)."},
    )


# scale_errors' keys, as this API names the fields.
SCALE_FIELDS = {"value": "rating_value", "best": "best_rating"}


def check_scale(values: dict, names: dict[str, str] = SCALE_FIELDS) -> None:
    """A 422 naming the field unless the numbers given form a scale (best above worst, the
    value between them); `values` holds this API's field names, `names` the caller's."""
    errors = scale_errors(values.get("rating_value"), values.get("best_rating"), values.get("worst_rating"))
    if errors:
        raise ma.ValidationError({names[key]: [message] for key, message in errors.items()})


class VerdictFieldsSchema(StrictSchema):
    rating = text(200, metadata={"description": "The label as published."})
    rating_value = ma.fields.Float(allow_nan=False, metadata={"description": "Between worst and best rating."})
    best_rating = ma.fields.Float(allow_nan=False, metadata={"description": "Above worst_rating."})
    worst_rating = ma.fields.Float(allow_nan=False)
    explanation = text(20_000)
    url = web_url()
    review_date = past_datetime(metadata={"description": "When the publisher published it; not in the future. "
                                          "The consensus orders a publisher's verdicts by when they "
                                          "were published here, not by this."})

    @ma.validates_schema
    def _scale(self, data, **kwargs):
        check_scale(data)


class VerdictCreateSchema(VerdictFieldsSchema):
    publisher = ma.fields.Nested(
        PublisherSchema, metadata={"description": "Defaults to the token's organisation (its name and site)."})
    rating = text(200, required=True, metadata={"description": "The label as published."})
    status = ma.fields.String(
        load_default="published", validate=validate.OneOf(("draft", "published")),
        metadata={"description": "A draft is seen by its organisation only and counts nowhere."})

    # _scale_is_complete, for the spec: best or worst rating only beside a rating_value.
    openapi_rules: ClassVar[dict] = {"anyOf": [{"required": ["rating_value"]},
                               {"not": {"anyOf": [{"required": ["best_rating"]}, {"required": ["worst_rating"]}]}}]}

    @ma.validates_schema
    def _scale_is_complete(self, data, **kwargs):
        given = [f for f in ("rating_value", "best_rating", "worst_rating") if f in data]
        if given and "rating_value" not in given:
            raise ma.ValidationError("A numeric scale needs rating_value.", "rating_value")


class VerdictUpdateSchema(VerdictFieldsSchema):
    status = ma.fields.String(validate=validate.OneOf(VERDICT_STATUSES),
                              metadata={"description": "draft -> published -> withdrawn."})
    reason = text(2_000, metadata={"description": "Why the verdict is withdrawn: required with "
                                                  "`status: withdrawn`, and only then; shown with the verdict."})

    # _not_empty and _reason_with_withdrawal, for the spec.
    openapi_rules: ClassVar[dict] = {"minProperties": 1, "oneOf": [
        {"required": ["status", "reason"], "properties": {"status": {"enum": ["withdrawn"]}}},
        {"not": {"required": ["reason"]},
         "anyOf": [{"not": {"required": ["status"]}}, {"properties": {"status": {"enum": ["draft", "published"]}}}]},
    ]}

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError("Send at least one field to change.", "_schema")

    @ma.validates_schema
    def _reason_with_withdrawal(self, data, **kwargs):
        withdrawing = data.get("status") == "withdrawn"
        if withdrawing and "reason" not in data:
            raise ma.ValidationError("Say why the verdict is withdrawn.", "reason")
        if "reason" in data and not withdrawing:
            raise ma.ValidationError("A reason goes with status withdrawn only.", "reason")


class VerdictSchema(ma.Schema):
    id = ma.fields.Integer()
    claim_id = ma.fields.Integer()
    status = ma.fields.String(validate=validate.OneOf(VERDICT_STATUSES))
    organisation_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The newsroom whose site is the publisher's; null for an "
                                                  "external review (a publisher no newsroom here owns)."})
    imported = ma.fields.Boolean(metadata={"description": "Came in through an import (ClaimReview, a bulk file)."})
    imported_by_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The newsroom that imported it; null when an operator did."})
    published_at = ma.fields.DateTime(
        allow_none=True, metadata={"description": "When it was first published here; null for a draft. A "
                                                  "publisher's latest verdict is its last published one."})
    superseded_by_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The same publisher's later verdict that replaced it."})
    version = ma.fields.Integer(metadata={"description": "Also the ETag; send it back in If-Match."})
    publisher = ma.fields.Nested(PublisherSchema, attribute="signed_by",
                                 metadata={"description": "As the verdict was signed; the site is the identity."})
    rating = ma.fields.String()
    rating_value = ma.fields.Float(allow_none=True)
    best_rating = ma.fields.Float(allow_none=True)
    worst_rating = ma.fields.Float(allow_none=True)
    score = ma.fields.Float(allow_none=True,
                            metadata={"description": "0 = false .. 1 = true; null off the scale."})
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))
    explanation = ma.fields.String(allow_none=True)
    url = ma.fields.String(allow_none=True)
    review_date = ma.fields.DateTime(allow_none=True, metadata={"description": "Null when imported markup gave none."})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    withdrawn_reason = ma.fields.String(allow_none=True, metadata={"description": "Why its newsroom withdrew it."})
