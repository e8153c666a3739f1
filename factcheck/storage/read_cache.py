"""The answers of the hot reads, kept per database connection for as long as the database
is unchanged.

Every answer is read on a connection at some version of the database and kept in that
connection's pool record (it lives as long as the driver's connection). A read first asks
the database for its version, one cheap statement; when the version is the one the kept
answers were read at, the kept answer is served, and otherwise they are all dropped. The
version is the database's own, so a change made by any process counts, psql included:

- PostgreSQL: the snapshot, `pg_current_snapshot()` (xmin, xmax, the transactions in
  progress). Two equal snapshots see the same committed transactions, hence the same data;
  any write (it takes a transaction id) or commit since changes it.
- SQLite: `PRAGMA data_version`, which changes when another connection commits (and starts
  the read's snapshot, so the statements after it see that version), with this connection's
  own changes, which it does not count: the driver's `total_changes` (rows written) and the
  commits factcheck.storage.engine counts (schema changes, which total_changes leaves out).

A read inside a transaction already begun is never cached: that transaction's own writes
are visible to it but change no version. Kept answers are shared by every request that
reads them, in several threads at once, so callers must not change what they hold. A kept
Page may gain one thing, its items written as JSON (Page.written, set by api.pages): made
from the items alone, it is the same whichever request makes it.

A connection keeps at most READ_CACHE_SIZE claim documents (a claim is one, a page of 20
is 20), dropping its oldest answers first: 2,000 claims of bench/load.py's 100k store took
6.8 MB (tracemalloc); a claim whose group has many verdicts takes more.
"""
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
