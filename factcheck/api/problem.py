"""RFC 9457 problem+json for every error, in responses and in the OpenAPI spec."""
import http
import logging

import marshmallow as ma
from apispec import BasePlugin
from flask import Response, json
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException, InternalServerError

from factcheck.errors import DomainError
from factcheck.schemas.json_input import MAX_DEPTH

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class ProblemSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": "URI reference naming the kind of problem"})
    title = ma.fields.String(metadata={"description": "Short summary of the kind of problem"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong in this request"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "Validation messages by field (may be nested)"},
    )


def problem(status: int, detail: str | None = None, *, title: str | None = None,
            errors: dict | None = None, headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": title or http.HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    return response


def _field_errors(messages: dict) -> dict:
    """webargs nests messages by location ({"json": {...}}); clients want field -> messages."""
    flat: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


# Errors an operation can answer because of what it takes, whatever its view does.
_BODY_ERRORS = {400: f"The body is not valid JSON, or nested deeper than {MAX_DEPTH} levels.",
                413: "The body is larger than the server accepts.",
                415: "The body is not sent as JSON (Content-Type: application/json)."}
_IDEMPOTENCY_ERRORS = {400: "The Idempotency-Key is not 1 to 255 printable ASCII characters.",
                       409: "Another request with this Idempotency-Key was being handled; retry."}
_RATE_HEADERS = {
    "RateLimit-Policy": {"schema": {"type": "string"}, "description": "The token's limit, e.g. `600;w=60`."},
    "RateLimit": {"schema": {"type": "string"},
                  "description": "What is left of it, e.g. `limit=600, remaining=599, reset=42`."},
}
_ERROR_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}},
    405: {"Allow": {"schema": {"type": "string"}, "required": True}},
    429: {"Retry-After": {"schema": {"type": "integer", "minimum": 1}, "required": True,
                          "description": "Seconds until the window ends."}},
}


def _document(responses: dict, status: int, description: str) -> None:
    """Add the status, or add the description to one the view already documents."""
    response = responses.get(status)
    if response is None:
        responses[status] = {"description": description}
    elif isinstance(response, dict) and description not in response.get("description", ""):
        response["description"] = f"{response.get('description', '')} Or: {description}".strip()


class ProblemResponsesPlugin(BasePlugin):
    """Every error an operation can answer is documented, as problem+json with its headers,
    even when a view documents it by a description alone (`alt_response(401, description=...)`)."""

    def __init__(self, api: "ProblemApi"):
        self.api = api

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                for status, description in _BODY_ERRORS.items():
                    _document(responses, status, description)
            headers = [p.get("name") for p in operation.get("parameters") or () if isinstance(p, dict)]
            if "Idempotency-Key" in headers:
                for status, description in _IDEMPOTENCY_ERRORS.items():
                    _document(responses, status, description)
            for status, response in responses.items():
                if not isinstance(response, dict) or "$ref" in response:
                    continue
                if str(status)[:1] in ("4", "5") and "content" not in response:
                    response["content"] = {PROBLEM_JSON: {"schema": ProblemSchema}}
                    self.api.ma_plugin.resolver.resolve_response(response)
                extra = dict(_ERROR_HEADERS.get(status, {}))
                if operation.get("security") and status not in (401, 403):
                    # Counted once the token is known and allowed: every answer after that says so.
                    extra.update(_RATE_HEADERS)
                if extra:
                    response["headers"] = {**extra, **response.get("headers", {})}


class SchemaRulesPlugin(BasePlugin):
    """Rules across a schema's fields, which marshmallow checks in code, in the spec too:
    a schema's `openapi_rules` (JSON Schema keywords) join its component."""

    def schema_helper(self, name, definition, **kwargs):
        schema = kwargs.get("schema")
        return dict(getattr(schema, "openapi_rules", None) or {})


class ProblemApi(Api):
    ERROR_SCHEMA = ProblemSchema
    # No catch-all `default`: each operation lists the statuses it answers, so a client (and
    # the fuzzing test) can tell an undocumented one.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _init_spec(self, *, extra_plugins=None, **options):
        super()._init_spec(extra_plugins=[*(extra_plugins or ()), ProblemResponsesPlugin(self), SchemaRulesPlugin()],
                           **options)

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(DomainError, self.handle_domain_error)
        self._app.register_error_handler(Exception, self.handle_unexpected_error)

    def _register_responses(self):
        # As flask-smorest does, but documenting the media type errors really have.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        if error.code == 400 and messages and "json" in messages:
            return problem(400, "The request body is not valid JSON.")
        errors = _field_errors(messages) if isinstance(messages, dict) else None
        detail = data.get("message")
        if detail is None and errors:
            detail = "The request did not pass validation; see errors."
        if detail is None:
            # A 500's own description could hint at internals; say only what the client can act on.
            detail = ("The server could not complete the request; try again later."
                      if error.code == 500 else error.description)
        headers = dict(data.get("headers") or {})
        if error.code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem(error.code or 500, detail, errors=errors, headers=headers)

    def handle_domain_error(self, error: DomainError):
        return problem(error.status, error.detail, title=error.title, errors=error.errors,
                       headers=error.headers)

    def handle_unexpected_error(self, error: Exception):
        if isinstance(error, HTTPException):
            return self.handle_http_exception(error)
        log.exception("unhandled error", exc_info=error)
        return self.handle_http_exception(InternalServerError())
