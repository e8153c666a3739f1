"""The body and Link header of a keyset-paginated list, and documented answers."""
from flask import request, url_for
from flask_smorest import Blueprint

from factcheck.storage.pages import Page

LINK_HEADER = {"Link": {"schema": {"type": "string"},
                        "description": 'The next page, `<url>; rel="next"`; absent on the last page.'}}


def page_response(page: Page) -> tuple[dict, dict]:
    headers = {}
    if page.next_cursor:
        args = {**request.args.to_dict(), "cursor": page.next_cursor}
        headers["Link"] = f'<{url_for(request.endpoint, **request.view_args, **args)}>; rel="next"'
    return {"items": page.items, "next_cursor": page.next_cursor}, headers


def returns(blp: Blueprint, status: int, schema, **kwargs):
    """Document a view's answer for a view that builds it itself, already in the schema's
    shape (the claim documents of services.claims.documents): flask-smorest's `response`
    would dump it through marshmallow again, the slowest part of a read."""
    return blp.alt_response(status, schema=schema, success=True, **kwargs)
