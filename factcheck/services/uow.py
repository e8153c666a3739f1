"""The unit of work: services run their writes inside `transaction()`, and the reads of
a use case that only reads on `read_connection()`."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from factcheck.database import WRITE_OPTION
from factcheck.extensions import db
from factcheck.services.sources import SEEN

# session.info key: set while one transaction holds a whole request (services.idempotency).
_HELD = "factcheck.uow.held"


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
        session.rollback()
        raise
    finally:
        session.info.pop(SEEN, None)


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


def read_connection() -> Connection:
    """The session's connection for a use case that only reads; call it first.

    On PostgreSQL it reads in autocommit: under READ COMMITTED every statement takes its own
    snapshot inside a transaction too, so BEGIN and ROLLBACK were two of a claim read's five
    round trips for nothing. On SQLite the transaction is what gives a read's statements one
    snapshot, so it keeps it. Inside a transaction already begun, that transaction's.
    """
    session = db.session()
    if session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return session.connection()
    return session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
