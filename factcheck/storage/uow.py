"""The unit of work: services run their writes inside `transaction()`, and a use case that
only reads inside `reading()` (or as a `read_only` function), on `read_connection()`."""
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.storage.engine import WRITE_OPTION

# The session.info key of the session's UnitOfWork, while a transaction() runs.
UNIT_OF_WORK = "factcheck.unit_of_work"
# The connection of the read-only use case running (reading()).
_READING: ContextVar[Connection | None] = ContextVar("factcheck.uow.reading", default=None)

P = ParamSpec("P")
T = TypeVar("T")


class NestedTransaction(RuntimeError):
    """transaction() inside a transaction() that is not held: the inner one would commit the
    outer one's half-done writes. Call the inner use case after the outer commits, or hold the
    outer one (held_transaction) to make the inner one a savepoint of it."""


class OutsideUnitOfWork(RuntimeError):
    """A write (or what only a write needs) outside any transaction()."""


@dataclass
class UnitOfWork:
    """What one transaction() keeps besides its rows, for as long as it runs; found with
    unit_of_work(session). A new engineer's map of everything a write carries along."""

    # held_transaction(): the transaction()s run inside it become savepoints of it.
    held: bool = False
    # Run once it has committed, in order, never if it rolls back (after_commit).
    after_commit: list[Callable[[], object]] = field(default_factory=list)
    # services.claims.sources: the outlets, articles, claimants and publishers found or created in
    # it, by (model, key): a bulk import names one outlet many times.
    sources: dict[tuple, object] = field(default_factory=dict)
    # services.webhooks.outbox: each claim's status before it first changed in it (a flush forgets
    # old values, and services flush at different points).
    statuses_before: dict[int, str] = field(default_factory=dict)


def unit_of_work(session: Session) -> UnitOfWork:
    """The unit of work of the session's transaction(); OutsideUnitOfWork outside one."""
    unit = session.info.get(UNIT_OF_WORK)
    if unit is None:
        raise OutsideUnitOfWork("This runs inside storage.uow.transaction() only.")
    return unit


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit on success, roll back on any error; the one place services commit.

    Inside a held_transaction() it is a savepoint of it instead: its writes are released on
    success, undone on error, and committed with the rest or not at all. Inside any other
    transaction() it raises NestedTransaction.
    """
    session = db.session()
    outer = session.info.get(UNIT_OF_WORK)
    if outer is not None:
        if not outer.held:
            raise NestedTransaction("transaction() inside a transaction() that is not held")
        with _savepoint(session, outer):
            yield session
        return
    if session.new or session.dirty or session.deleted:
        raise OutsideUnitOfWork("Changes made outside transaction() would commit with it.")
    if session.in_transaction():
        # A read's snapshot (a token lookup, say), which wrote nothing: ended so that the
        # write can begin IMMEDIATE.
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})
    unit = session.info[UNIT_OF_WORK] = UnitOfWork()
    try:
        # Writes flush when the service says so (or at commit), not before every query.
        with session.no_autoflush:
            yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        del session.info[UNIT_OF_WORK]
    for work in unit.after_commit:
        try:
            work()
        except Exception:  # what committed stays; the failure is logged
            logging.getLogger(__name__).exception("%r failed after the commit", work)


@contextmanager
def _savepoint(session: Session, unit: UnitOfWork) -> Iterator[None]:
    savepoint = session.begin_nested()
    try:
        with session.no_autoflush:
            yield
        savepoint.commit()
    except BaseException:
        savepoint.rollback()
        raise
    finally:
        unit.sources.clear()  # it may hold rows the savepoint took back


@contextmanager
def held_transaction() -> Iterator[Session]:
    """A transaction() that the use cases run inside it join, as savepoints: everything
    written until the block ends commits at once (or, on an error, not at all)."""
    with transaction() as session:
        unit_of_work(session).held = True
        yield session


def after_commit(session: Session, work: Callable[[], object]) -> None:
    """Run `work()` once the transaction() in progress has committed (never if it rolls
    back), once however often it is asked for. A failure is logged, not raised."""
    pending = unit_of_work(session).after_commit
    if work not in pending:
        pending.append(work)


def in_transaction() -> bool:
    """Whether the session has a transaction in progress (without making a session)."""
    return db.session.registry.has() and db.session().in_transaction()


@contextmanager
def reading() -> Iterator[Connection]:
    """Run a use case that only reads on a connection of its own, outside the ORM session.

    On SQLite its statements share one deferred transaction, hence one snapshot; on
    PostgreSQL they run in autocommit (see read_connection). Inside a reading() already, or
    with a session transaction in progress (a token lookup, a write), that one is used.
    A read-only use case must not write: its later reads would not see the write on SQLite.
    """
    if _READING.get() is not None or in_transaction():
        yield read_connection()
        return
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        else:
            connection.begin()
        token = _READING.set(connection)
        try:
            yield connection
        finally:
            _READING.reset(token)


def read_only(use_case: Callable[P, T]) -> Callable[P, T]:
    """Run the use case inside reading()."""
    @wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with reading():
            return use_case(*args, **kwargs)
    return run


def read_connection() -> Connection:
    """The connection of the use case that only reads (reading()); outside one, the session's.

    On PostgreSQL it reads in autocommit: under READ COMMITTED every statement takes its own
    snapshot inside a transaction too, so BEGIN and ROLLBACK were two of a claim read's five
    round trips for nothing. On SQLite the transaction is what gives a read's statements one
    snapshot, so it keeps it. Inside a transaction already begun, that transaction's.
    """
    connection = _READING.get()
    if connection is not None:
        return connection
    session = db.session()
    if session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return session.connection()
    return session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
