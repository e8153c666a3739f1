"""The unit of work: services run their writes inside `transaction()`, and a use case that
only reads inside `reading()` (or as a `read_only` function), on `read_connection()`."""
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from factcheck.database import WRITE_OPTION
from factcheck.extensions import db
from factcheck.services.sources import SEEN

# session.info key: set while one transaction holds a whole request (services.idempotency).
_HELD = "factcheck.uow.held"
# session.info key: what runs once the outermost transaction has committed (after_commit).
_AFTER_COMMIT = "factcheck.uow.after_commit"
# The connection of the read-only use case running (reading()).
_READING: ContextVar[Connection | None] = ContextVar("factcheck.uow.reading", default=None)

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit on success, roll back on any error; the one place services commit.

    Inside `held_transaction()` it is a savepoint of the held transaction instead: its
    writes are released on success, undone on error, and committed with the rest or not at all.
    """
    session = db.session()
    if session.info.get(_HELD):
        savepoint = session.begin_nested()
        try:
            with session.no_autoflush:
                yield session
            savepoint.commit()
        except BaseException:
            savepoint.rollback()
            raise
        finally:
            session.info.pop(SEEN, None)  # it may hold rows the savepoint took back
        return
    if session.in_transaction():
        # End any read-only snapshot (token lookup, say) so the write can begin IMMEDIATE.
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})
    try:
        # Writes flush when the service says so (or at commit), not before every query.
        with session.no_autoflush:
            yield session
        session.commit()
    except BaseException:
        session.info.pop(_AFTER_COMMIT, None)
        session.rollback()
        raise
    finally:
        session.info.pop(SEEN, None)
    _run_after_commit(session)


def after_commit(session: Session, work: Callable[[], object]) -> None:
    """Run `work()` once the transaction in progress has committed (never if it rolls back),
    once however often it is asked for. A failure is logged, not raised: what committed stays."""
    pending = session.info.setdefault(_AFTER_COMMIT, [])
    if work not in pending:
        pending.append(work)


def _run_after_commit(session: Session) -> None:
    for work in session.info.pop(_AFTER_COMMIT, ()):
        try:
            work()
        except Exception:
            logging.getLogger(__name__).exception("%s failed after the commit", work.__qualname__)


@contextmanager
def held_transaction() -> Iterator[Session]:
    """A transaction() that the use cases run inside it join, as savepoints: everything
    written until the block ends commits at once (or, on an error, not at all)."""
    with transaction() as session:
        session.info[_HELD] = True
        try:
            yield session
        finally:
            session.info.pop(_HELD, None)


def in_transaction() -> bool:
    """Whether the session has a transaction in progress (without making a session)."""
    return db.session.registry.has() and db.session().in_transaction()


@contextmanager
def reading() -> Iterator[Connection]:
    """Run a use case that only reads on a connection of its own, outside the ORM session.

    A Core connection from the pool costs ~20 us of CPU where the session's took ~110 us
    (making the session and its transaction, closing both): a kept claim read in process
    went from 952k to 798k instructions (callgrind), GET /health from 1.25M to 0.98M.
    On SQLite its statements share one deferred transaction, hence one snapshot (begun here:
    the hot reads run on the driver's cursor, which SQLAlchemy's autobegin does not see); on
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
