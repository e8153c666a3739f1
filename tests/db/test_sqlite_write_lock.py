"""SQLite write transactions queue for the lock until the busy timeout, then fail cleanly."""
import threading

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from factcheck.database import WRITE_OPTION, configure_engine

TIMEOUT_MS = 300


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    configure_engine(engine, TIMEOUT_MS)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    yield engine
    engine.dispose()


def _writer(engine):
    return engine.connect().execution_options(**{WRITE_OPTION: True})


def _count(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM t").scalar()


def test_a_writer_waits_for_the_lock_and_then_writes(engine):
    holder = _writer(engine)
    holder.begin()
    holder.exec_driver_sql("INSERT INTO t VALUES (1)")
    waiting, outcome = threading.Event(), []

    def write():
        with _writer(engine) as connection:
            waiting.set()
            with connection.begin():
                connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            outcome.append("written")

    thread = threading.Thread(target=write)
    thread.start()
    assert waiting.wait(5)
    thread.join(TIMEOUT_MS / 3000)
    assert outcome == []  # still queued behind the holder
    holder.commit()
    holder.close()
    thread.join(5)
    assert outcome == ["written"] and _count(engine) == 2


def test_past_the_busy_timeout_a_writer_fails_and_its_connection_still_works(engine):
    holder = _writer(engine)
    holder.begin()
    with _writer(engine) as connection:
        with pytest.raises(OperationalError, match="database is locked"):
            connection.begin()
        holder.rollback()
        holder.close()
        # The busy timeout is the configured one again, and the connection can write.
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == TIMEOUT_MS
        connection.rollback()
        with connection.begin():
            connection.exec_driver_sql("INSERT INTO t VALUES (3)")
    assert _count(engine) == 1
