"""SQLite write transactions queue for the lock until the busy timeout, then fail cleanly."""
import threading

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from factcheck.storage.engine import WRITE_OPTION, configure_engine
from tests.lock_waits import GIVE_UP_S, LockWaits, backend_pid

# Long enough that a queued writer outwaits any test; short enough that failing is quick.
PATIENT_MS, IMPATIENT_MS = GIVE_UP_S * 1000, 300


@pytest.fixture
def engine_with(tmp_path):
    """An engine on a new database, with this busy timeout."""
    made = []

    def make(timeout_ms: int):
        engine = create_engine(f"sqlite:///{tmp_path / 'lock.db'}")
        configure_engine(engine, timeout_ms)
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


def _writer(engine):
    return engine.connect().execution_options(**{WRITE_OPTION: True})


def _count(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM t").scalar()


def test_a_writer_waits_for_the_lock_and_then_writes(engine_with, monkeypatch):
    engine = engine_with(PATIENT_MS)
    lock_waits = LockWaits(engine, monkeypatch)
    holder = _writer(engine)
    holder.begin()
    holder.exec_driver_sql("INSERT INTO t VALUES (1)")
    outcome = []

    def write():
        try:
            with _writer(engine) as connection, connection.begin():
                connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            outcome.append("written")
        except Exception as error:  # noqa: BLE001  (asserted below)
            outcome.append(error)

    thread = threading.Thread(target=write)
    thread.start()
    lock_waits.until_blocked_by(backend_pid(holder))
    assert outcome == []  # refused the lock, queued behind the holder
    holder.commit()
    holder.close()
    thread.join(GIVE_UP_S)
    assert outcome == ["written"] and _count(engine) == 2


def test_past_the_busy_timeout_a_writer_fails_and_its_connection_still_works(engine_with):
    engine = engine_with(IMPATIENT_MS)
    holder = _writer(engine)
    holder.begin()
    with _writer(engine) as connection:
        with pytest.raises(OperationalError, match="database is locked"):
            connection.begin()
        holder.rollback()
        holder.close()
        # The busy timeout is the configured one again, and the connection can write.
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == IMPATIENT_MS
        connection.rollback()
        with connection.begin():
            connection.exec_driver_sql("INSERT INTO t VALUES (3)")
    assert _count(engine) == 1
