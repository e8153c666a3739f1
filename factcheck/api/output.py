"""Answers safe where they are used: nosniff on each one, JSON-LD fit to paste into a <script>."""
from functools import wraps

from flask import Response

LD_JSON = "application/ld+json"
# JSON-LD is pasted into <script type="application/ld+json">, where a "</script>" in a claim
# would end the element. These characters only occur inside JSON strings, so escaping
# them there keeps the same JSON.
_ESCAPES = ((b"&", b"\\u0026"), (b"<", b"\\u003c"), (b">", b"\\u003e"))


def nosniff(response: Response) -> Response:
    """Browsers take every answer as the media type it says it is, never as HTML they guess."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def ld_json(view):
    """Answer with JSON-LD's own media type (which the spec documents), escaped for HTML."""
    @wraps(view)
    def answered(*args, **kwargs):
        response = view(*args, **kwargs)
        response.mimetype = LD_JSON
        body = response.get_data()
        for character, escape in _ESCAPES:
            body = body.replace(character, escape)
        response.set_data(body)
        return response
    return answered
