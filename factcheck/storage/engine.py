"""Engine set-up: SQLite pragmas and write transactions that take their lock up front."""
import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

WRITE_OPTION = "factcheck_write"
# How often a write transaction waiting for SQLite's lock tries again.
_WRITE_LOCK_POLL_S = 0.001


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is always DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that later writes must upgrade its lock, and SQLite answers
        # "database is locked" at once (no busy wait) when another writer got there first.
        # Write transactions therefore start IMMEDIATE and queue for the lock instead.
        if connection.get_execution_options().get(WRITE_OPTION, False):
            _begin_immediate(connection, busy_timeout_ms)
        else:
            _begin_deferred(connection)


def _begin_deferred(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _begin_immediate(connection: Connection, timeout_ms: int) -> None:
    """BEGIN IMMEDIATE, tried every millisecond until the busy timeout has passed.

    SQLite's own busy handler sleeps longer and longer between tries (up to 100 ms each), so
    a writer that has waited a while sleeps through the moments the lock is free and loses
    it to newcomers: under 8 concurrent writers some waited over 2 s. Every other statement
    keeps that handler (busy_timeout is set again after BEGIN).
    """
    # Tried on the driver's connection: through SQLAlchemy each failed try cost ~0.2 ms of
    # CPU, which the waiting writers took from the one holding the lock.
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error):
                    break
            time.sleep(_WRITE_LOCK_POLL_S)
        # The last try, through SQLAlchemy, so that what fails is raised as its OperationalError.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
