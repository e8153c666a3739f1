"""Schemas shared by several resources."""
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import marshmallow as ma
from marshmallow import validate

# Part of the API's contract (the spec publishes both), hence not a setting.
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
# The spec's patterns say what the validators accept, so a client (or a fuzzer) can tell.
NO_NUL_PATTERN = r"^[^\x00]*$"
# Python's \s also matches \x1c-\x1f and \x85, which ECMA-262's (the spec's) does not:
# the patterns name them, so that both read a pattern alike.
# text(): no NUL anywhere, and something besides whitespace.
TEXT_PATTERN = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# No whitespace and no C0 or C1 control character in a URL.
_PORT_AND_PATH = r"(?::[0-9]{1,5})?(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?$"
# Letters of the scripts an internationalised domain name is written in (Latin, Greek,
# Cyrillic ... Kana, CJK, Hangul), but none that NFKC turns into a url's delimiters.
_IDN = r"\u00c0-\u02af\u0370-\u1fff\u3040-\u9fff\uac00-\ud7a3"
_IDN_LABEL = rf"[A-Za-z0-9{_IDN}](?:[A-Za-z0-9{_IDN}-]{{0,61}}[A-Za-z0-9{_IDN}])?"
_TOP_LEVEL = rf"(?:[A-Za-z{_IDN}]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})"
_PORT = r"(?::(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
# An article or a review: http(s) on a named host with a top-level domain (IDN or not).
WEB_URL_PATTERN = rf"^https?://(?:{_IDN_LABEL}\.)+{_TOP_LEVEL}{_PORT}(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?$"
# A domain name, as a site or an outlet is named (IDN or not).
DOMAIN_PATTERN = rf"^(?:{_IDN_LABEL}\.)+{_TOP_LEVEL}$"
# A webhook may be on a bare host name or an IP address (a service on the same network).
HOOK_URL_PATTERN = rf"^https?://(?:(?:{_LABEL}\.)*{_LABEL}|\[[0-9A-Fa-f:.]+\]){_PORT_AND_PATH}"


def no_nul(value: str) -> None:
    # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ma.ValidationError("Must not contain NUL characters.")


class StrictSchema(ma.Schema):
    """Unknown fields are an error (422), never silently dropped."""

    class Meta:
        unknown = ma.RAISE

    @ma.validates_schema(pass_original=True)
    def _no_unknown_fields(self, data, original, **kwargs):
        # webargs loads query strings with unknown=EXCLUDE, overriding Meta; catch them here.
        if not isinstance(original, Mapping):
            return
        known = {field.data_key or name for name, field in self.load_fields.items()}
        unknown = [key for key in original if key not in known]
        if unknown:
            raise ma.ValidationError({key: ["Unknown field."] for key in unknown})


class PageArgsSchema(StrictSchema):
    limit = ma.fields.Integer(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Page size, 1 to {MAX_PAGE_SIZE}."},
    )
    cursor = ma.fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "`next_cursor` from the previous page."},
    )


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
        "next_cursor": ma.fields.String(
            allow_none=True, required=True,
            metadata={"description": "Pass as `cursor` for the next page; null on the last page."},
        ),
    }, name=name)


def text(max_length: int, *, metadata: dict | None = None, **kwargs) -> ma.fields.String:
    """A string that must hold something besides whitespace."""
    return ma.fields.String(
        validate=[validate.Length(min=1, max=max_length),
                  validate.Regexp(r"\s*\S", error="Must not be blank."), no_nul],
        metadata={"pattern": TEXT_PATTERN, **(metadata or {})},
        **kwargs,
    )


def web_url(pattern: str = WEB_URL_PATTERN, max_length: int = 2048, checks=(), **kwargs) -> ma.fields.String:
    """An http(s) URL, checked by the one pattern the spec shows (then by `checks`)."""
    return ma.fields.String(validate=[validate.Length(max=max_length),
                                      validate.Regexp(pattern, error="Not a valid URL."), *checks], **kwargs)


def _storable(value: datetime) -> None:
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ma.ValidationError("Date out of range.") from None


def utc_datetime(**kwargs) -> ma.fields.AwareDateTime:
    """ISO 8601; a time without an offset is taken as UTC."""
    return ma.fields.AwareDateTime(default_timezone=UTC, validate=_storable, **kwargs)


# A date without a time (as ClaimReview's datePublished often is) reads as midnight UTC, so
# "not in the future" allows today's date anywhere on Earth: up to UTC+14.
LATEST_ZONE = timedelta(hours=14)


def not_in_future(value: datetime) -> None:
    if value > datetime.now(UTC) + LATEST_ZONE:
        raise ma.ValidationError("Must not be in the future.")


def past_datetime(**kwargs) -> ma.fields.AwareDateTime:
    """utc_datetime() for when something happened: nothing later than today, in any time zone."""
    return ma.fields.AwareDateTime(default_timezone=UTC, validate=[_storable, not_in_future], **kwargs)


class NameSchema(StrictSchema):
    id = ma.fields.Integer(dump_only=True)
    name = text(200, required=True, metadata={
        "description": "Stored NFKC-normalised, invisible characters removed and whitespace collapsed; names "
                       "equal after case folding are one claimant."})
