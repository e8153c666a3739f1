"""Reads on PostgreSQL run in autocommit (READ COMMITTED gives every statement its own
snapshot anyway); on SQLite in a transaction, which is what gives them one snapshot."""
from factcheck.extensions import db
from factcheck.services.uow import read_connection, transaction


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
