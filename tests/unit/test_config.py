"""Settings read from the environment: a value that is not a number is named in the error."""
import importlib

import pytest

import factcheck.config


@pytest.fixture
def reread(monkeypatch):
    """factcheck.config read again under the environment the test sets, then as it was."""
    yield lambda: importlib.reload(factcheck.config)
    monkeypatch.undo()
    importlib.reload(factcheck.config)


def test_numbers_are_read_from_the_environment(monkeypatch, reread):
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "42")
    monkeypatch.setenv("MATCH_SEMANTIC_WEIGHT", "0.5")
    config = reread().Config
    assert (config.RATE_LIMIT_PER_MINUTE, config.MATCH_SEMANTIC_WEIGHT) == (42, 0.5)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("RATE_LIMIT_PER_MINUTE", "600/min", "RATE_LIMIT_PER_MINUTE must be a whole number, not '600/min'."),
    ("MATCH_SEMANTIC_WEIGHT", "high", "MATCH_SEMANTIC_WEIGHT must be a number, not 'high'."),
])
def test_a_value_that_is_not_a_number_is_named(monkeypatch, reread, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError) as raised:
        reread()
    assert str(raised.value) == message
