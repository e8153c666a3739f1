"""Responses written by orjson read exactly as Flask's own provider wrote them."""
import json
from datetime import UTC, datetime

import pytest
from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

from factcheck.json_provider import OrjsonProvider

VALUES = [
    {"b": 1, "a": [1.5, None, True], "é": "Ünïcode — 😍"},
    {"items": [{"id": 2**63 - 1, "text": "x"}], "next_cursor": None},
    {"lone surrogate \udc00": ["Unknown field."]},  # orjson refuses it: the fallback writes it
    {"big": 2**70},  # past 64 bits: the fallback again
]


def respond(provider_class, value):
    app = Flask(__name__)
    app.json = provider_class(app)
    with app.app_context():
        return jsonify(value)


@pytest.mark.parametrize("value", VALUES)
def test_responses_parse_as_flasks_own(value):
    ours, flasks = respond(OrjsonProvider, value), respond(DefaultJSONProvider, value)
    assert ours.mimetype == flasks.mimetype == "application/json"
    assert json.loads(ours.get_data()) == json.loads(flasks.get_data()) == value
    assert ours.get_data(as_text=True).endswith("}\n")


def test_keys_are_sorted_as_flask_sorts_them():
    body = respond(OrjsonProvider, {"b": 1, "a": {"d": 1, "c": 2}}).get_data(as_text=True)
    assert body == '{"a":{"c":2,"d":1},"b":1}\n'


def test_dumps_falls_back_for_what_orjson_refuses():
    app = Flask(__name__)
    provider = OrjsonProvider(app)
    assert json.loads(provider.dumps({"k": "\ud800"})) == {"k": "\ud800"}
    assert provider.dumps({"k": 1}, indent=2) == '{\n  "k": 1\n}'


def test_datetimes_are_iso_8601_on_both_paths():
    when = datetime(2026, 11, 25, 6, 19, 53, 198616, tzinfo=UTC)
    app = Flask(__name__)
    provider = OrjsonProvider(app)
    assert json.loads(provider.dumps({"at": when})) == {"at": "2026-11-25T06:19:53.198616+00:00"}
    # The standard library's path (lone surrogate) writes it the same way.
    assert json.loads(provider.dumps({"at": when, "k": "\ud800"}))["at"] == "2026-11-25T06:19:53.198616+00:00"
