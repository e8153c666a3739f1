"""Opaque keyset cursors: the sort key of the last row a page showed."""
import base64
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from factcheck.errors import Invalid
from factcheck.models.types import MAX_ID

T = TypeVar("T")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(key: list) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read(value, kind: type):
    """The value as the list sorts on it, or None when the database could not compare with
    it: no bools; ints are ids, within the key column's range; floats finite; datetimes
    ISO 8601 with an offset, within the years a UTC column holds; text without NUL (which
    PostgreSQL cannot hold) or lone surrogates (which no driver can encode)."""
    if kind is datetime:
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
            return moment.astimezone(UTC) if moment and moment.tzinfo else None
        except (ValueError, OverflowError):
            return None
    if not isinstance(value, kind) or isinstance(value, bool):
        return None
    if isinstance(value, int) and not 0 <= value <= MAX_ID:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and not _storable(value):
        return None
    return value


def _storable(text: str) -> bool:
    return "\x00" not in text and not _SURROGATE.search(text)


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> list:
    """The key encoded by encode_cursor, checked against the types the list sorts on
    (a datetime travels as its ISO 8601 text)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        key = None
    if isinstance(key, list) and len(key) == len(shape):
        read = [None if value is None else _read(value, kind) for value, kind in zip(key, shape)]
        # Only a score may be null (ids and times never are).
        if all(found is not None or (value is None and kind is float)
               for value, found, kind in zip(key, read, shape)):
            return read
    raise Invalid("The cursor is not one this list gave out.", errors={"cursor": ["Invalid cursor."]})


def page_of(rows: list[T], limit: int, key_of) -> Page[T]:
    """Rows were fetched with limit + 1 to learn whether another page follows."""
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor(key_of(rows[-1])))
    return Page(rows, None)
