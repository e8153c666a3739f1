"""Fields for markup as publishers write it: an invalid optional property is dropped, with why."""
import copy
import html
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import NamedTuple

import marshmallow as ma
from marshmallow import validate

from factcheck.schemas.claims import LanguageTag
from factcheck.schemas.common import TEXT_PATTERN, no_nul, not_in_future


class Dropped:
    """What an optional property that could not be read leaves in the loaded data: the reason."""

    __slots__ = ("messages",)

    def __init__(self, messages):
        self.messages = messages


class Optional(ma.fields.Field):
    """`inner`, except that a value it refuses becomes Dropped instead of refusing the item."""

    def __init__(self, inner: ma.fields.Field, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def _bind_to_schema(self, field_name, parent):
        super()._bind_to_schema(field_name, parent)
        self.inner = copy.deepcopy(self.inner)
        self.inner._bind_to_schema(field_name, self)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return self.inner.deserialize(value, attr, data, **kwargs)
        except ma.ValidationError as error:
            return Dropped(error.messages)


def pop_dropped(value, path: str = "") -> dict[str, list]:
    """Take the Dropped values out of loaded data, in place: their messages by where they were."""
    found: dict[str, list] = {}
    items = list(value.items()) if isinstance(value, dict) else list(enumerate(value)) \
        if isinstance(value, list) else []
    for key, child in reversed(items):
        where = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
        if isinstance(child, Dropped):
            del value[key]
            found.update(_flat(child.messages, where))
        else:
            found.update(pop_dropped(child, where))
    return dict(sorted(found.items()))


def _flat(messages, path: str) -> dict[str, list]:
    if isinstance(messages, dict):
        flat: dict[str, list] = {}
        for key, child in messages.items():
            flat.update(_flat(child, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"))
        return flat
    return {path: messages if isinstance(messages, list) else [messages]}


class MarkupText(ma.fields.String):
    """Text as markup carries it: HTML entities unescaped (`Singh&#039;s`), a number read as its
    digits, a list as its first value."""

    def __init__(self, max_length: int, *, metadata: dict | None = None, **kwargs):
        super().__init__(validate=[validate.Length(min=1, max=max_length),
                                   validate.Regexp(r"\s*\S", error="Must not be blank."), no_nul],
                         metadata={"pattern": TEXT_PATTERN, **(metadata or {})}, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = f"{value:g}"
        text = " ".join(html.unescape(super()._deserialize(value, attr, data, **kwargs)).split())
        if len(text) > self.max_length:  # a sentence-long label: its beginning says the verdict
            text = text[:self.max_length - 1].rsplit(" ", 1)[0] + "…"
        return text


# 2020-06-22, 2020-06-22T12:26:08+05:30, 2020-06-22 12:26:08 UTC, 2020-06-22T12:26+5:30,
# 2022-09-01T22:06:00.000-0300: dates as fact-checkers' sites write them.
_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$", re.IGNORECASE)


class Dated(NamedTuple):
    at: datetime       # the instant, to order and filter by
    as_published: str  # ISO 8601 as its source meant it: a day alone, or a time with its offset


def parse_date(text: str) -> datetime:
    """The moment a date or date-time names, in the offset it was written with (UTC if none)."""
    match = _DATE.match(text.strip())
    if not match:
        raise ma.ValidationError("Not a date such as 2020-06-22 or 2020-06-22T12:26:08+05:30.")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups()[:6])
    microsecond = int((match.group(7) or "0")[:6].ljust(6, "0"))
    zone = UTC
    if (offset := match.group(8)) and offset[0] in "+-":
        hours, _, minutes = offset[1:].partition(":")
        if not minutes and len(hours) > 2:
            hours, minutes = hours[:-2], hours[-2:]
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= timedelta(hours=24):
            raise ma.ValidationError("Not a valid time zone offset.")
        zone = timezone(-delta if offset[0] == "-" else delta)
    try:
        moment = datetime(year, month, day, hour, minute, second, microsecond, tzinfo=zone)
        moment.astimezone(UTC)  # storable
    except (ValueError, OverflowError) as error:
        raise ma.ValidationError(f"Not a valid date: {error}.") from None
    return moment


class MarkupDate(ma.fields.Field):
    """A date or date-time as sites write it (see parse_date): Dated. `past`: of something that
    happened, so not later than today in any time zone."""

    def __init__(self, *, past: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.past = past

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ma.ValidationError("Not a date such as 2020-06-22.")
        moment = parse_date(value)
        if self.past:
            not_in_future(moment)
        day_only = len(value.strip()) <= len("2020-06-22")
        return Dated(moment, moment.date().isoformat() if day_only else moment.isoformat())


class MarkupLanguage(LanguageTag):
    """inLanguage: a tag (`en_US` too), or a schema.org Language named by its tag or name."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            value = value.get("alternateName") or value.get("name")
        return super()._deserialize(value, attr, data, **kwargs)
