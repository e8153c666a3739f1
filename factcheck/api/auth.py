"""Who may call what: bearer tokens, roles, rate limits, idempotent POSTs and If-Match."""
import hashlib
import re
from functools import wraps

from flask import Response, current_app, g, request
from flask_smorest import Blueprint

from factcheck.errors import DomainError, PreconditionFailed
from factcheck.services.accounts import limits, tokens
from factcheck.services.accounts.actors import Actor
from factcheck.settings import current as settings
from factcheck.storage import idempotency

BEARER = [{"bearerAuth": []}]
IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    # Printable ASCII, as a structured-field string (RFC 8941) is; no NUL for the database.
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]*$"},
    "description": "Retrying with the same key and body replays the first response (kept 24 h).",
}
# What If-Match must look like to name a version; anything else names none, so 412.
ETAG_PATTERN = r'^[ \t]*(?:W/)?"([0-9]{1,18})"[ \t]*$'
IF_MATCH = {
    "in": "header", "name": "If-Match", "required": True, "schema": {"type": "string", "pattern": ETAG_PATTERN},
    "description": "The ETag the object was read with; 412 if it changed since, 428 if missing.",
}
_ETAG = re.compile(ETAG_PATTERN)
# Replayed responses keep these headers of the first one.
_REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")


# Kept on the request, not on `g`: `g` lives as long as the app context, which outlives one
# request wherever a context is already pushed (tests, scripts), and would leak a caller.
_ACTOR = "factcheck.actor"
_RATE_WINDOW = "factcheck.rate_window"


def current_actor() -> Actor | None:
    """The caller when it sent a token (reads are open, but a token shows its own drafts)."""
    if _ACTOR not in request.environ:
        header = request.headers.get("Authorization")
        address = request.remote_addr or ""
        request.environ[_ACTOR] = tokens.authenticate(header, address, settings()) if header else None
    return request.environ[_ACTOR]


def optional_token(blp: Blueprint):
    """Document a read that takes a token when one is sent (to show its own drafts)."""
    def decorator(view):
        view = blp.alt_response(401, description="The token sent is unknown, revoked or expired.")(view)
        return blp.alt_response(429, description="Too many failed authentications; see Retry-After.")(view)
    return decorator


def requires(blp: Blueprint, role: str, *, idempotency_key: bool = True):
    """Reject the request unless its bearer token has `role` (or a higher one); count it
    against the token's rate limit; make POSTs idempotent under an Idempotency-Key, unless
    the operation is idempotent by itself (`idempotency_key=False`: the header is ignored)."""
    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            g.actor = request.environ[_ACTOR] = tokens.authenticate(
                request.headers.get("Authorization"), request.remote_addr or "", settings())
            request.environ[_RATE_WINDOW] = tokens.authorize(g.actor, role, settings())
            if idempotency_key and request.method == "POST" and "Idempotency-Key" in request.headers:
                return _idempotent(view, args, kwargs)
            return view(*args, **kwargs)

        checked = blp.alt_response(401, description="No token, or an unknown, revoked or expired one.")(checked)
        checked = blp.alt_response(403, description=f"The token lacks the {role} role.")(checked)
        checked = blp.alt_response(429, description="Too many requests; see Retry-After.")(checked)
        checked = blp.doc(security=BEARER)(checked)
        headers = {"post": IDEMPOTENCY_KEY if idempotency_key else None, "patch": IF_MATCH, "delete": IF_MATCH}
        if header := headers.get(view.__name__):
            # Beside the view's own parameters (its query arguments): a manual doc's list would replace them.
            arguments = checked._apidoc.setdefault("arguments", {})
            arguments["parameters"] = [*arguments.get("parameters", []), dict(header)]
        if view.__name__ in ("patch", "delete"):
            checked = blp.alt_response(412, description="The If-Match ETag is stale.")(checked)
            checked = blp.alt_response(428, description="If-Match is missing.")(checked)
        return checked
    return decorator


def _idempotent(view, args, kwargs) -> Response:
    key = request.headers["Idempotency-Key"]
    if not (1 <= len(key) <= 255 and key.isascii() and key.isprintable()):
        raise DomainError("Idempotency-Key must be 1 to 255 printable ASCII characters.",
                          errors={"Idempotency-Key": ["1 to 255 printable ASCII characters."]})
    digest = hashlib.sha256(b"%s %s\n" % (request.method.encode(), request.full_path.encode())
                            + request.get_data()).hexdigest()

    def handle() -> tuple[Response, idempotency.Answer]:
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 (answered as the app answers it)
            # Errors are answered as usual; client errors are kept for replay like successes.
            response = current_app.make_response(current_app.handle_user_exception(error))
        headers = {name: response.headers[name] for name in _REPLAYED_HEADERS if name in response.headers}
        return response, idempotency.Answer(response.status_code, response.get_data(as_text=True), headers)

    outcome = idempotency.once(g.actor.user_id, key, digest, handle)
    if isinstance(outcome, idempotency.Answer):
        return Response(outcome.body, status=outcome.status,
                        headers={**outcome.headers, "Idempotent-Replayed": "true"})
    return outcome


def expected_version() -> int | None:
    """The version named by If-Match, or None when it is missing (services answer 428
    once they know the object exists)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    match = _ETAG.match(header)
    if match is None:
        raise PreconditionFailed("If-Match does not name a version of this object.")
    return int(match.group(1))


# The one declaration of the ETag header, and the one way to set it: a strong ETag of the version.
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "The version: send it back in If-Match."}}


def etag(version: int) -> dict:
    """The ETag header of an object at `version` (what expected_version reads back)."""
    return {"ETag": f'"{version}"'}


def add_rate_headers(response: Response) -> Response:
    """The token's RateLimit headers; once the answer is sent, this worker adds the requests
    it has been counting to the shared counts when a batch is due (limits.flush_due)."""
    if window := request.environ.get(_RATE_WINDOW):
        response.headers.update(tokens.rate_headers(window))
        app = current_app._get_current_object()
        response.call_on_close(lambda: _flush_rate_counts(app))
    return response


def _flush_rate_counts(app) -> None:
    with app.app_context():
        try:
            limits.flush_due(settings().rate_limit_batch, settings().rate_limit_flush_seconds)
        except Exception:  # the counts stay held, to be added with the next batch
            app.logger.exception("Adding this worker's request counts to the shared ones failed")
