"""Articles posted for analysis, their candidate claims, and decisions on them."""
from typing import ClassVar

import marshmallow as ma
from marshmallow import validate

from factcheck.models import DECISIONS, STANCES
from factcheck.schemas.claims import OutletSchema, OutletShownSchema, url
from factcheck.schemas.common import StrictSchema, no_nul, past_datetime, text
from factcheck.schemas.links import MatchSchema

_BODY = "The article; send `text` or `html`, not both. Too long: 413."


class ArticleCreateSchema(StrictSchema):
    url = url(required=True, metadata={"description": "The article's address: one article per canonical url "
                                                      "(posting it again updates it). Never fetched."})
    title = text(1000)
    outlet = ma.fields.Nested(OutletSchema)
    published_at = past_datetime()
    text = ma.fields.String(validate=[validate.Regexp(r"\s*\S", error="Must not be blank."), no_nul],
                            metadata={"description": f"{_BODY} Paragraphs one a line."})
    html = ma.fields.String(validate=[validate.Regexp(r"\s*\S", error="Must not be blank."), no_nul],
                            metadata={"description": f"{_BODY} Its main text is extracted (trafilatura)."})

    openapi_rules: ClassVar[dict] = {"oneOf": [{"required": ["text"]}, {"required": ["html"]}]}

    @ma.validates_schema
    def _text_or_html(self, data, **kwargs):
        if ("text" in data) == ("html" in data):
            raise ma.ValidationError("Send the article as `text` or as `html` (one of them).", "_schema")


class CandidateDecisionSchema(ma.Schema):
    decision = ma.fields.String(validate=validate.OneOf(DECISIONS))
    claim_id = ma.fields.Integer(allow_none=True, metadata={"description": "The claim it became an appearance of."})
    decided_at = ma.fields.DateTime()


class CandidateSchema(ma.Schema):
    id = ma.fields.Integer()
    position = ma.fields.Integer()
    sentence = ma.fields.String(metadata={"description": "As printed: the article's text[start:end]."})
    start = ma.fields.Integer(metadata={"description": "Character offset in the article's `text`."})
    end = ma.fields.Integer()
    claim = ma.fields.String(metadata={"description": "The claim as a standalone sentence, references resolved."})
    quote = ma.fields.String(allow_none=True, metadata={"description": "The words quoted verbatim, if any."})
    claimant = ma.fields.String(allow_none=True, metadata={
        "description": "Who the article attributes it to, by the fullest name it gives; null: the outlet itself."})
    stance = ma.fields.String(validate=validate.OneOf(STANCES), metadata={
        "description": "The claimant's (`asserts`, `denies`), or the outlet's (`reports`) when no claimant."})
    checkworthiness = ma.fields.Float(metadata={"description": "0-1; 0.5 and over: worth checking."})
    matches = ma.fields.List(ma.fields.Nested(MatchSchema), metadata={
        "description": "Stored claims it most likely is, best first (as POST /claims/match)."})
    decision = ma.fields.Nested(CandidateDecisionSchema, allow_none=True, metadata={
        "description": "What the caller's newsroom decided (null: nothing yet, or no token sent)."})


class ArticleSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.String()
    outlet = ma.fields.Nested(OutletShownSchema)
    title = ma.fields.String(allow_none=True)
    published_at = ma.fields.DateTime(allow_none=True)
    language = ma.fields.String(metadata={"description": "Detected (BCP 47); claimants are read in English only."})
    attributed = ma.fields.Boolean(metadata={"description": "Whether claimants and stances were read."})
    checkworthiness_model = ma.fields.String(metadata={
        "description": "`all-MiniLM-L6-v2+ngrams`, or `ngrams` when sentence embeddings are unavailable."})
    text = ma.fields.String(metadata={"description": "The text analysed (offsets refer to it)."})
    posted_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    updated = ma.fields.Boolean(metadata={"description": "This post updated an article stored before."})
    candidates = ma.fields.List(ma.fields.Nested(CandidateSchema))


class DecideSchema(StrictSchema):
    decision = ma.fields.String(required=True, validate=validate.OneOf(DECISIONS))
    claim_id = ma.fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "When accepting: add the appearance to this stored claim instead of creating one."})
