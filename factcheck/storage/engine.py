"""Engine set-up: SQLite pragmas and write transactions that take their lock up front;
PostgreSQL's generic plans for prepared statements."""
import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

WRITE_OPTION = "factcheck_write"
# A connection's pool record counts its commits here (SQLite): storage.read_cache's version.
COMMITS = "factcheck.commits"
# How often a write transaction waiting for SQLite's lock tries again.
_WRITE_LOCK_POLL_S = 0.001


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _generic_plans)
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

    @event.listens_for(engine, "commit")
    def _on_commit(connection):
        info = connection.connection.info
        info[COMMITS] = info.get(COMMITS, 0) + 1


def _generic_plans(dbapi_connection, _record) -> None:
    """Prepared statements run their generic plan instead of being planned again each time.

    psycopg prepares a statement on its sixth run on a connection. PostgreSQL then
    keeps planning it for each run's values whenever that plan looks cheaper than the
    generic one, as it always does for `id = ANY($1)` (storage.driver_select binds every
    list so): it takes the array to hold 10 values. A claim read's three statements thus
    spent 0.15-0.3 ms each in the planner; with their generic plans they took 172-286 us
    of wall time against 315-588 us (100k store), and under bench/load.py a claim read at
    random went from 548 to 1,004 req/s and the contested list from 1,499 to 2,008. The
    statements factcheck runs are keyed lookups and index scans whose plans do not turn on
    the values (match's candidates: the same 137 against 122 req/s).
    """
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # a SET outside any transaction, kept by the session
    try:
        dbapi_connection.execute("SET plan_cache_mode = force_generic_plan")
    finally:
        dbapi_connection.autocommit = autocommit


def _begin_deferred(connection: Connection) -> None:
    """BEGIN on the driver's connection, as PostgreSQL's driver sends its own: through
    SQLAlchemy's execution it cost ~17 us, a tenth of a claim read's time in process. Should
    it fail, it is sent again through SQLAlchemy, which raises its own OperationalError."""
    try:
        connection.connection.driver_connection.execute("BEGIN")
    except sqlite3.Error:
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
