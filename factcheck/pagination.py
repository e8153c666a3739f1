"""Opaque keyset cursors: the sort key of the last row a page showed."""
import base64
import json
import math
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from factcheck.errors import Invalid

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    # The items as the API writes them, made once per page (api.pages.documents_response):
    # a page the read cache keeps is served many times.
    written: object = field(default=None, compare=False, repr=False)


def encode_cursor(key: list) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _fits(value, kind: type) -> bool:
    """A value the database can compare with: no bools, ints within 64 bits, finite floats."""
    if not isinstance(value, kind) or isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -2**63 <= value < 2**63
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> list:
    """The key encoded by encode_cursor, checked against the types the list sorts on."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        key = None
    valid = isinstance(key, list) and len(key) == len(shape) and all(
        value is None or _fits(value, kind) for value, kind in zip(key, shape)
    )
    if not valid:
        raise Invalid("The cursor is not one this list gave out.", errors={"cursor": ["Invalid cursor."]})
    return key


def page_of(rows: list[T], limit: int, key_of) -> Page[T]:
    """Rows were fetched with limit + 1 to learn whether another page follows."""
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor(key_of(rows[-1])))
    return Page(rows, None)
