"""The spec's patterns read alike in Python (the validators) and in JSON Schema (clients,
fuzzers): Python's \\s matches characters ECMA-262's does not."""
import re

import jsonschema_rs
import pytest

from factcheck.schemas.common import TEXT_PATTERN, WEB_URL_PATTERN

# Whitespace to Python only, whitespace to both, control characters, and ordinary text.
TRICKY = ["\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\x7f", "\x9f", "\t", " ", "é", "😍"]


@pytest.mark.parametrize("char", TRICKY, ids=repr)
@pytest.mark.parametrize("template", ["{c}", " {c} ", "a{c}", "{c}{c}"])
def test_text_pattern_agrees_with_json_schema(template, char):
    value = template.format(c=char)
    python = re.match(TEXT_PATTERN, value) is not None
    assert python == jsonschema_rs.is_valid({"type": "string", "pattern": TEXT_PATTERN}, value)


@pytest.mark.parametrize("char", TRICKY, ids=repr)
@pytest.mark.parametrize("template", ["https://www.example.com/a{c}b", "https://example.org/?q={c}",
                                      "https://example.org{c}/", "http://a.example.net/#{c}"])
def test_url_pattern_agrees_with_json_schema(template, char):
    value = template.format(c=char)
    python = re.match(WEB_URL_PATTERN, value) is not None
    assert python == jsonschema_rs.is_valid({"type": "string", "pattern": WEB_URL_PATTERN}, value)


def test_what_the_patterns_accept():
    assert re.match(WEB_URL_PATTERN, "https://www.example.com/news/1?q=é#top")
    assert not re.match(WEB_URL_PATTERN, "https://www.example.com/a\x85b")
    assert re.match(TEXT_PATTERN, "  Russia was notified.  ")
    assert not re.match(TEXT_PATTERN, " \x85\u3000\t")
