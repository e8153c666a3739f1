"""Organisations, users, tokens and the audit trail."""
import marshmallow as ma
from marshmallow import validate

from factcheck.models import NEWSROOM_ROLES, ROLES
from factcheck.schemas.common import StrictSchema, page_schema, text, utc_datetime

SITE_DESCRIPTION = ("The newsroom's site, which signs its verdicts: a host name such as fullfact.org, or "
                    "its URL (https://www.fullfact.org/). Stored lower-case without `www.`; an IDN site in "
                    "its xn-- form. No two newsrooms share one.")
# ASCII, as the spec's pattern can say it: everything it matches is a site the service accepts.
SITE_PATTERN = (r"^(?:[Hh][Tt][Tt][Pp][Ss]?://)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                r"(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})/?$")


def site(**kwargs) -> ma.fields.String:
    return ma.fields.String(validate=[validate.Length(max=253), validate.Regexp(
        SITE_PATTERN, error="Not a site domain such as fullfact.org.")], metadata={"description": SITE_DESCRIPTION},
        **kwargs)


class OrganisationCreateSchema(StrictSchema):
    name = text(200, required=True)
    site = site(required=True)


class OrganisationUpdateSchema(StrictSchema):
    site = site(required=True)


class OrganisationSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    # Newsrooms made before sites were required have none until an operator sets it.
    site = ma.fields.String(allow_none=True, metadata={"description": SITE_DESCRIPTION})
    created_at = ma.fields.DateTime()
    version = ma.fields.Integer(metadata={"description": "Its ETag: send it in If-Match to change it."})


class UserCreateSchema(StrictSchema):
    name = text(200, required=True)
    role = ma.fields.String(required=True, validate=validate.OneOf(NEWSROOM_ROLES), metadata={
        "description": "A newsroom's role; `operator`, the instance's, is granted by the command line only."})


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    name = ma.fields.String()
    role = ma.fields.String(validate=validate.OneOf(ROLES), metadata={
        "description": "Operators (shown to operators only) run the instance; the other roles, a newsroom."})
    created_at = ma.fields.DateTime()


class TokenCreateSchema(StrictSchema):
    name = text(200, required=True, metadata={"description": "What the token is for."})
    expires_at = utc_datetime(metadata={"description": "No expiry when absent."})


class TokenSchema(ma.Schema):
    """Never the secret's hash; the secret itself only once, in the creating response."""

    id = ma.fields.Integer()
    user_id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "The secret's first characters, to tell tokens apart."})
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)
    last_used_at = ma.fields.DateTime(allow_none=True, metadata={"description": "To the minute."})
    version = ma.fields.Integer()


class NewTokenSchema(TokenSchema):
    secret = ma.fields.String(metadata={"description": "Shown this once; only a hash is stored."})


class AuditEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.DateTime()
    user_id = ma.fields.Integer(allow_none=True)
    token_id = ma.fields.Integer(allow_none=True)
    organisation_id = ma.fields.Integer(allow_none=True)
    action = ma.fields.String(metadata={"description": "e.g. claim.created, verdict.published, link.rejected"})
    entity = ma.fields.String()
    entity_id = ma.fields.Integer()
    claim_id = ma.fields.Integer(allow_none=True)
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)


class WhoSchema(ma.Schema):
    user = ma.fields.String(allow_none=True, metadata={"description": "The user's name."})
    newsroom = ma.fields.String(allow_none=True, metadata={"description": "Their newsroom's name."})


class HistoryEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.DateTime()
    action = ma.fields.String(metadata={"description": "e.g. claim.edited, verdict.withdrawn, link.confirmed"})
    entity = ma.fields.String(metadata={"description": "claim, appearance, verdict or link"})
    entity_id = ma.fields.Integer()
    claim_id = ma.fields.Integer(allow_none=True, metadata={"description": "The wording it happened on: this "
                                                                           "claim or another of its group."})
    by = ma.fields.Nested(WhoSchema, allow_none=True,
                          metadata={"description": "null: the instance's operator or the matching engine."})
    before = ma.fields.Dict(allow_none=True, metadata={"description": "The fields a fact-checker knows, before."})
    after = ma.fields.Dict(allow_none=True, metadata={"description": "The same fields after."})


OrganisationPageSchema = page_schema(OrganisationSchema, "OrganisationPage")
UserPageSchema = page_schema(UserSchema, "UserPage")
TokenPageSchema = page_schema(TokenSchema, "TokenPage")
AuditPageSchema = page_schema(AuditEntrySchema, "AuditPage")
HistoryPageSchema = page_schema(HistoryEntrySchema, "HistoryPage")
