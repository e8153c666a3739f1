"""The body and Link header of a keyset-paginated list."""
from flask import request, url_for

from factcheck.pagination import Page

LINK_HEADER = {"Link": {"schema": {"type": "string"},
                        "description": 'The next page, `<url>; rel="next"`; absent on the last page.'}}


def page_response(page: Page) -> tuple[dict, dict]:
    headers = {}
    if page.next_cursor:
        args = {**request.args.to_dict(), "cursor": page.next_cursor}
        headers["Link"] = f'<{url_for(request.endpoint, **request.view_args, **args)}>; rel="next"'
    return {"items": page.items, "next_cursor": page.next_cursor}, headers
