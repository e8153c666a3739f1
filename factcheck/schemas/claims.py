"""Claims and appearances: what clients send and what they get back."""
from typing import ClassVar

import marshmallow as ma
from marshmallow import validate

from factcheck.identity import canonical_url, normalise_site, site_of
from factcheck.language import LANGUAGE_SOURCES, normalise_tag
from factcheck.models import CONTEST_REASONS, STANCES, STATUSES
from factcheck.models.sources import URL_LENGTH
from factcheck.ratings import CATEGORIES
from factcheck.schemas.common import (
    DOMAIN_PATTERN,
    NO_NUL_PATTERN,
    NameSchema,
    PageArgsSchema,
    StrictSchema,
    no_nul,
    page_schema,
    text,
    utc_datetime,
    web_url,
)
from factcheck.schemas.verdicts import VerdictSchema

ONE_ARTICLE = ("The article. Urls that differ only in scheme (http, https), host spelling (case, IDNA, "
               "`www.`, default port), a trailing `/`, tracking parameters (`utm_*`, `fbclid`, `gclid`, ...; "
               "on Facebook, X, Instagram, YouTube and TikTok also those they add to a shared post), "
               "query order, fragment or percent-encoding are one article, stored in one canonical form.")
BCP47 = validate.Regexp(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", error="Not a BCP-47 language tag.")


class LanguageTag(ma.fields.String):
    """A BCP 47 tag, `-` or `_` between subtags, stored in its canonical form (`en_us` -> `en-US`)."""

    def __init__(self, **kwargs):
        pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$"
        super().__init__(validate=[validate.Length(max=35), validate.Regexp(
            pattern, error="Not a BCP-47 language tag.")], **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return normalise_tag(text) or text  # the validators name what is wrong with it


def _storable_url(length: int):
    """Stored as identity.canonical_url spells it, in `length` characters, its site in 253."""

    def check(value: str) -> None:
        try:
            stored = canonical_url(value)
        except ValueError:
            raise ma.ValidationError("Not a valid URL.") from None
        if len(stored) > length:
            raise ma.ValidationError(f"Longer than {length} characters once percent-encoded.")
        if len(site_of(stored)) > 253:
            raise ma.ValidationError("The host name is longer than 253 characters.")

    return check


def _storable_domain(value: str) -> None:
    if len(normalise_site(value)) > 253:
        raise ma.ValidationError("Longer than 253 characters once IDNA-encoded.")


def url(length: int = URL_LENGTH, **kwargs) -> ma.fields.String:
    """An article's url (or, with `length`, a review's), stored in its canonical form (see
    identity.canonical_url) in `length` characters: `https` and a `/` path may add two;
    escapes that lengthen it past are refused."""
    return web_url(max_length=length - 2, checks=[_storable_url(length)], **kwargs)


class OutletSchema(StrictSchema):
    name = text(200, metadata={"description": "Defaults to the domain."})
    domain = ma.fields.String(
        validate=[validate.Length(min=3, max=253), validate.Regexp(DOMAIN_PATTERN, error="Not a domain name."),
                  _storable_domain],
        metadata={"description": "Derived from the url when absent; stored lower-case, IDNA-encoded, "
                                 "without `www.`."},
    )


class OutletShownSchema(ma.Schema):
    """An outlet as stored: its domain as normalise_site spelt it, which need not be a name that
    IDNA could encode (then kept as given, lower-cased)."""

    name = ma.fields.String()
    domain = ma.fields.String()


class AppearanceCreateSchema(StrictSchema):
    url = url(required=True, metadata={"description": ONE_ARTICLE})
    outlet = ma.fields.Nested(OutletSchema)
    title = text(1000)
    quote = text(10_000, metadata={"description": "The claim verbatim as this source printed it."})
    claimant = ma.fields.Nested(NameSchema, metadata={"description": "Who this source attributes it to."})
    stance = ma.fields.String(load_default="reports", validate=validate.OneOf(STANCES))
    published_at = utc_datetime()


class AppearanceSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.String(attribute="article.url")
    outlet = ma.fields.Nested(OutletShownSchema, attribute="article.outlet")
    title = ma.fields.String(attribute="article.title", allow_none=True)
    published_at = ma.fields.DateTime(attribute="article.published_at", allow_none=True)
    quote = ma.fields.String(allow_none=True)
    claimant = ma.fields.Nested(NameSchema, allow_none=True)
    stance = ma.fields.String(validate=validate.OneOf(STANCES))
    created_at = ma.fields.DateTime()


class ClaimCreateSchema(StrictSchema):
    text = text(5_000, required=True)
    claimant = ma.fields.Nested(NameSchema)
    language = LanguageTag(metadata={"description": "BCP 47; detected from the text when absent."})
    claim_date = utc_datetime(metadata={"description": "When the claim was made, if known."})
    appearances = ma.fields.List(ma.fields.Nested(AppearanceCreateSchema), load_default=list,
                                 validate=validate.Length(max=100))


class ClaimUpdateSchema(StrictSchema):
    text = text(5_000, metadata={"description": "The corrected wording: indexed and linked again."})
    claimant = ma.fields.Nested(NameSchema, metadata={"description": "Who made the claim, found or added by name."})
    language = LanguageTag(metadata={"description": "BCP 47. A text changed without it: detected again, "
                                                    "unless the language was given."})

    openapi_rules: ClassVar[dict] = {"minProperties": 1}  # _not_empty, for the spec

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError("Send at least one field to change.", "_schema")


class ClaimRemoveArgsSchema(StrictSchema):
    reason = text(2_000, required=True, metadata={"description": "Why (spam, a mistake): kept in the history."})


class DemandSchema(ma.Schema):
    asked = ma.fields.Integer(metadata={"description": "Times asked about: a match that ranked it first with a "
                                                       "strong score, a new appearance, a new wording linked "
                                                       "to its group."})
    last_asked_at = ma.fields.DateTime(allow_none=True)


class ConsensusSchema(ma.Schema):
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))
    score = ma.fields.Float(allow_none=True, metadata={"description": "0 = false .. 1 = true"})


class ClaimSchema(ma.Schema):
    id = ma.fields.Integer()
    text = ma.fields.String()
    language = ma.fields.String(metadata={"description": "BCP 47 (`und`: the text gave no clue)."})
    language_source = ma.fields.String(
        validate=validate.OneOf(LANGUAGE_SOURCES),
        metadata={"description": "`given` by the client or the imported markup, `detected` from the text, "
                                 "or `unknown` for claims recorded before this was kept."})
    claimant = ma.fields.Nested(NameSchema, allow_none=True)
    claim_date = ma.fields.DateTime(allow_none=True, metadata={"description": "When the claim was made, if known."})
    created_at = ma.fields.DateTime()
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    consensus = ma.fields.Nested(
        ConsensusSchema, allow_none=True,
        metadata={"description": "Mean score of each publisher's latest verdict, or null when unchecked."},
    )
    contested_because = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(CONTEST_REASONS)),
        metadata={"description": "`verdicts_disagree`: one publisher's latest verdict is on the true "
                                 "side, another's on the false side. `sources_disagree`: one source "
                                 "asserts the claim, another denies it."},
    )
    contest_score = ma.fields.Float(
        allow_none=True,
        metadata={"description": "Verdict spread (0-1) plus how evenly sources split (0-1)."},
    )
    appearances = ma.fields.List(ma.fields.Nested(AppearanceSchema))
    group_id = ma.fields.Integer(metadata={"description": "Claims joined by confirmed links share a group."})
    verdicts = ma.fields.List(
        ma.fields.Nested(VerdictSchema),
        metadata={"description": "Every published verdict on any wording in the claim's group."},
    )
    version = ma.fields.Integer(metadata={"description": "Also the ETag; send it back in If-Match."})
    demand = ma.fields.Nested(DemandSchema)


class ClaimListArgsSchema(PageArgsSchema):
    q = ma.fields.String(validate=[validate.Length(min=1, max=500), no_nul],
                         metadata={"description": "Words the claim holds, every one of them in any order "
                                                  "(case, accents and word endings aside; words such as "
                                                  "`the` are ignored); best ranked first unless `order` is given.",
                                   "pattern": NO_NUL_PATTERN})
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    claimant = ma.fields.String(validate=[validate.Length(min=1, max=200), no_nul],
                                metadata={"description": "Claimant name (case-insensitive).",
                                          "pattern": NO_NUL_PATTERN})
    outlet = ma.fields.String(validate=[validate.Length(min=1, max=253), no_nul],
                              metadata={"description": "Domain of an outlet that printed the claim.",
                                        "pattern": NO_NUL_PATTERN})
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES),
                                metadata={"description": "Consensus category."})
    order = ma.fields.String(validate=validate.OneOf(("newest", "demand")),
                             metadata={"description": "`newest` first, or most asked about first (`demand`). "
                                                      "By default: with `q`, best ranked first; else newest."})
    since = utc_datetime(metadata={"description": "Recorded at or after this time."})
    until = utc_datetime(metadata={"description": "Recorded before this time."})


class ContestedArgsSchema(PageArgsSchema):
    order = ma.fields.String(load_default="contest", validate=validate.OneOf(("contest", "demand")),
                             metadata={"description": "Most `contest`ed first, or most asked about first (`demand`)."})


ClaimPageSchema = page_schema(ClaimSchema, "ClaimPage")
