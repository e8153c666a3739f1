"""Records in batches, each with the next (services.exchange.batches)."""
import pytest

from factcheck.services.exchange.batches import each_with_next


def test_each_batch_comes_with_the_next():
    assert list(each_with_next(range(7), 3)) == [([0, 1, 2], [3, 4, 5]), ([3, 4, 5], [6]), ([6], None)]
    assert list(each_with_next([], 3)) == []


def test_a_batch_is_given_before_an_error_reading_the_next():
    def records():
        yield from (1, 2)
        raise OSError("the file went away")

    batches = each_with_next(records(), 2)
    assert next(batches) == ([1, 2], None)
    with pytest.raises(OSError, match="went away"):
        next(batches)
