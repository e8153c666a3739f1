"""Reads on PostgreSQL run in autocommit (READ COMMITTED gives every statement its own
snapshot anyway); on SQLite in a transaction, which is what gives them one snapshot.
A use case that only reads runs on a connection of its own (uow.reading), not the session's."""
import sqlalchemy as sa
from sqlalchemy import insert

from factcheck.extensions import db
from factcheck.models import Outlet
from factcheck.storage.uow import read_connection, reading, transaction


def _autocommit(connection) -> bool:
    return bool(getattr(connection.connection.driver_connection, "autocommit", False))


def test_a_read_only_use_case_reads_in_autocommit_on_postgresql_only(app):
    db.session.remove()
    connection = read_connection()
    assert _autocommit(connection) == (db.engine.dialect.name == "postgresql")
    assert connection.in_transaction()  # SQLAlchemy's; on PostgreSQL no BEGIN reaches the server
    if db.engine.dialect.name == "sqlite":
        assert connection.connection.driver_connection.in_transaction  # SQLite's: its BEGIN was sent
    db.session.remove()
    # Back in the pool, the connection is itself again: the next write is a transaction.
    with transaction() as session:
        assert not _autocommit(session.connection())


def test_a_read_inside_a_write_uses_the_write_transaction(app):
    with transaction() as session:
        assert read_connection() is session.connection()
        assert not _autocommit(read_connection())
        with reading() as connection:
            assert connection is session.connection()


def _outlets(connection) -> int:
    return connection.exec_driver_sql("SELECT count(*) FROM outlets").scalar_one()


def test_reading_makes_no_session_and_gives_its_connection_back(app):
    db.session.remove()
    pool = db.engine.pool
    checked_out = pool.checkedout()
    with reading() as connection:
        assert read_connection() is connection
        with reading() as inner:  # a read-only use case calling another
            assert inner is connection
        assert _autocommit(connection) == (db.engine.dialect.name == "postgresql")
        assert pool.checkedout() == checked_out + 1
    assert pool.checkedout() == checked_out
    assert not db.session.registry.has()
    with transaction() as session:  # and the connection is itself again for the next writer
        assert not _autocommit(session.connection())


def test_reading_sees_one_snapshot_on_sqlite_and_each_commit_on_postgresql(app, database_url):
    """What another program commits between two statements of one read: SQLite's read
    transaction does not see it; PostgreSQL's statements, in autocommit, each see it."""
    other = sa.create_engine(database_url)
    try:
        with reading() as connection:
            before = _outlets(connection)
            with other.begin() as writer:
                writer.execute(insert(Outlet).values(domain="snapshot.example.org", name="Snapshot"))
            after = _outlets(connection)
        assert after == before + (db.engine.dialect.name == "postgresql")
        with reading() as connection:  # the next read sees it on both
            assert _outlets(connection) == before + 1
    finally:
        other.dispose()
