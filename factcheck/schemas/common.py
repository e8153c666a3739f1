"""Schemas shared by several resources."""
import marshmallow as ma
from marshmallow import validate

MAX_PAGE_SIZE = 100


class StrictSchema(ma.Schema):
    """Unknown fields are an error (422), never silently dropped."""

    class Meta:
        unknown = ma.RAISE


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
                  validate.Regexp(r"\S", error="Must not be blank.")],
        **kwargs,
    )


class NameSchema(StrictSchema):
    id = ma.fields.Integer(dump_only=True)
    name = text(200, required=True)
