"""Flask's JSON written by orjson; request bodies still read by the standard library."""
from datetime import datetime
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_SORT_KEYS


class OrjsonProvider(DefaultJSONProvider):
    @staticmethod
    def default(o: Any) -> Any:
        """Datetimes as orjson writes them (ISO 8601), also where the standard library writes
        (Flask's own default writes HTTP dates)."""
        if isinstance(o, datetime):
            return o.isoformat()
        return DefaultJSONProvider.default(o)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # indent, separators, ...: the standard library's options
            return super().dumps(obj, **kwargs)
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS).decode()
        except TypeError:  # orjson.JSONEncodeError
            return super().dumps(obj)

    def _indented(self) -> bool:
        return self.compact is False or (self.compact is None and self._app.debug)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if self._indented():
            return super().response(*args, **kwargs)  # indented for people
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=_OPTIONS | orjson.OPT_APPEND_NEWLINE)
        except TypeError:
            body = f"{super().dumps(obj, separators=(',', ':'))}\n"
        return self._app.response_class(body, mimetype=self.mimetype)
