"""The `<id:...>` URL converter: an integer a database key column can hold."""
from werkzeug.routing import IntegerConverter

from factcheck.models.types import MAX_ID


class IdConverter(IntegerConverter):
    """Larger numbers are 404 (no such resource), not an overflow deep in the driver."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def id_schema(converter: IdConverter) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
