"""Schemas shared by several resources."""
from collections.abc import Mapping
from datetime import datetime, timezone

import marshmallow as ma
from marshmallow import validate

MAX_PAGE_SIZE = 100


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
        load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
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


def text(max_length: int, **kwargs) -> ma.fields.String:
    """A string that must hold something besides whitespace."""
    return ma.fields.String(
        validate=[validate.Length(min=1, max=max_length),
                  validate.Regexp(r"\s*\S", error="Must not be blank."), no_nul],
        **kwargs,
    )


def _storable(value: datetime) -> None:
    try:
        value.astimezone(timezone.utc)
    except OverflowError:
        raise ma.ValidationError("Date out of range.") from None


def utc_datetime(**kwargs) -> ma.fields.AwareDateTime:
    """ISO 8601; a time without an offset is taken as UTC."""
    return ma.fields.AwareDateTime(default_timezone=timezone.utc, validate=_storable, **kwargs)


class NameSchema(StrictSchema):
    id = ma.fields.Integer(dump_only=True)
    name = text(200, required=True)
