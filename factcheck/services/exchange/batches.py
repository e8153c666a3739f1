"""Records in batches, each given with the one after it, so that work on the next can begin."""
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def each_with_next(items: Iterable[T], size: int) -> Iterator[tuple[list[T], list[T] | None]]:
    """The items in lists of `size`, each with the list after it (None after the last). Should
    reading the next list fail, the current one is still given first, then the error raised."""
    batches = _batches(items, size)
    current = next(batches, None)
    while current is not None:
        try:
            following = next(batches, None)
        except Exception:
            yield current, None
            raise
        yield current, following
        current = following


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
