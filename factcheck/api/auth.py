"""Bearer-token checks for write endpoints, documented in the OpenAPI spec."""
from functools import wraps

from flask import g, request
from flask_smorest import Blueprint

from factcheck.services.tokens import authorize

BEARER = [{"bearerAuth": []}]


def requires(blp: Blueprint, role: str):
    """Reject the request unless its bearer token has `role` (or a higher one)."""
    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            g.token = authorize(request.headers.get("Authorization"), role)
            return view(*args, **kwargs)

        checked = blp.alt_response(401, description="No token, or an unknown one.")(checked)
        checked = blp.alt_response(403, description=f"The token lacks the {role} role.")(checked)
        return blp.doc(security=BEARER)(checked)
    return decorator
