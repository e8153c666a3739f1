"""The answers of the hot reads, kept per database connection while the database is unchanged (docs/architecture.md)."""
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import Connection

from factcheck.storage.driver_select import fetch_all
from factcheck.storage.engine import COMMITS
from factcheck.storage.uow import in_transaction, read_connection

T = TypeVar("T")

_ANSWERS = "factcheck.read_cache"


class _Answers:
    """One connection's kept answers, all read at one version of the database."""

    __slots__ = ("version", "by_key", "documents")

    def __init__(self, version: Hashable):
        self.version = version
        self.by_key: dict[Hashable, tuple[object, int]] = {}  # the answer and its documents
        self.documents = 0

    def keep(self, key: Hashable, answer: object, documents: int, size: int) -> None:
        if documents > size:
            return
        while self.documents + documents > size:
            _, dropped = self.by_key.pop(next(iter(self.by_key)))  # the oldest
            self.documents -= dropped
        self.by_key[key] = (answer, documents)
        self.documents += documents


def _sqlite_version(connection: Connection) -> Hashable:
    ((data_version,),) = fetch_all(connection, "PRAGMA data_version")
    record = connection.connection
    return data_version, record.driver_connection.total_changes, record.info.get(COMMITS, 0)


def _postgresql_version(connection: Connection) -> Hashable:
    ((snapshot,),) = fetch_all(connection, "SELECT pg_current_snapshot()::text")
    return snapshot


_VERSION: dict[str, Callable[[Connection], Hashable]] = {
    "sqlite": _sqlite_version, "postgresql": _postgresql_version}


def cached(kind: str, key: Hashable, read: Callable[[], T], documents: Callable[[T], int] = lambda _: 1) -> T:
    """What `read()` answers, kept under (kind, key) while the database stays unchanged.

    `read` must depend only on the database and on the key, and read on read_connection(),
    inside a use case that only reads (uow.reading); `documents` counts the claim documents
    in its answer.
    """
    size = current_app.config["READ_CACHE_SIZE"]
    if size <= 0 or in_transaction():
        return read()
    connection = read_connection()
    version = _VERSION[connection.dialect.name](connection)  # the two databases factcheck runs on
    info = connection.connection.info
    answers: _Answers | None = info.get(_ANSWERS)
    if answers is None or answers.version != version:
        answers = info[_ANSWERS] = _Answers(version)
    kept = answers.by_key.get((kind, key))
    if kept is not None:
        return kept[0]  # type: ignore[return-value]
    answer = read()
    answers.keep((kind, key), answer, max(1, documents(answer)), size)
    return answer
