"""How views read arguments: JSON bodies as JSON only, not too deep, valid Unicode; query strings as UTF-8."""
import json
from urllib.parse import unquote_to_bytes

import flask
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from factcheck.errors import DomainError, Invalid, UnsupportedMediaType
from factcheck.schemas import json_input

JSON_ONLY = "Send the body as JSON, with Content-Type: application/json."


class Parser(FlaskParser):
    def _raw_load_json(self, req: flask.Request):
        raw = req.get_data(cache=True)
        if not raw:
            return core.missing  # no body: the schema says which fields were required
        if not is_json_request(req):
            sent = f"Content-Type {req.mimetype}" if req.mimetype else "no Content-Type"
            raise UnsupportedMediaType(f"{JSON_ONLY} This request had {sent}.")
        try:
            # RFC 8259 lets a reader ignore a byte order mark; this one does.
            data = json.loads(raw.decode("utf-8-sig"))
        except RecursionError:
            raise DomainError(f"The body is nested deeper than {json_input.MAX_DEPTH} levels.") from None
        if json_input.too_deep(raw) or json_input.may_hold_surrogates(raw):
            deep, broken = json_input.problems(data)
            if deep:
                raise DomainError(f"The body is nested deeper than {json_input.MAX_DEPTH} levels.", errors=deep)
            if broken:
                raise Invalid("The body holds text that is not valid Unicode; see errors.", errors=broken)
        return data

    def load_querystring(self, req: flask.Request, schema):
        query = req.query_string
        if (b"%" in query or not query.isascii()) and (broken := _not_utf8(query)):
            raise DomainError("The query string is not valid UTF-8; see errors.",
                              errors={name: [json_input.NOT_UNICODE] for name in broken})
        return super().load_querystring(req, schema)


def _not_utf8(query: bytes) -> list[str]:
    """The parameters whose name or value does not decode as UTF-8 (werkzeug would keep
    such bytes percent-encoded in a percent-encoded one, and fail on a raw one)."""
    broken = []
    for pair in query.split(b"&"):
        name, _, value = (unquote_to_bytes(part.replace(b"+", b" ")) for part in pair.partition(b"="))
        try:
            name.decode(), value.decode()
        except UnicodeDecodeError:
            broken.append(name.decode(errors="replace"))
    return broken
