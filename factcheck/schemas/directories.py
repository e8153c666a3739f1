"""Claimant and outlet directories: what clients ask and what they get back."""
import marshmallow as ma
from marshmallow import validate

from factcheck.schemas.common import NO_NUL_PATTERN, PageArgsSchema, no_nul, page_schema


class DirectoryArgsSchema(PageArgsSchema):
    prefix = ma.fields.String(
        validate=[validate.Length(min=1, max=200), no_nul],
        metadata={"description": "The start of any word of the name, case-insensitive (for an outlet, "
                                 "also the start of its domain).", "pattern": NO_NUL_PATTERN})


class ClaimantEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    claims = ma.fields.Integer(metadata={"description": "Claims attributed to them (the claim list's "
                                                        "`claimant` filter finds these)."})


class OutletEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    domain = ma.fields.String()
    claims = ma.fields.Integer(metadata={"description": "Claims it printed (the claim list's `outlet` "
                                                        "filter finds these)."})


ClaimantPageSchema = page_schema(ClaimantEntrySchema, "ClaimantPage")
OutletPageSchema = page_schema(OutletEntrySchema, "OutletPage")
