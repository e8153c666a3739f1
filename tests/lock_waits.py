"""Seeing from outside that a writer is queued behind another transaction's lock, on either database."""
import threading
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

import factcheck.storage.engine

# Only a writer that never queues makes a test wait this long, and the test then fails.
GIVE_UP_S = 30


def backend_pid(connection: sa.Connection) -> int | None:
    """The PostgreSQL backend serving this connection (None on SQLite, which has none)."""
    if connection.dialect.name != "postgresql":
        return None
    return connection.connection.driver_connection.info.backend_pid


class LockWaits:
    """Tells when a writer waits for a lock that another transaction holds.

    PostgreSQL shows it: the waiting backend lists the holder's in pg_blocking_pids(). SQLite
    shows nothing, but a writer refused the database's write lock pauses before it asks again
    (database._begin_immediate), and nothing else pauses there: that pause is the sign.
    """

    def __init__(self, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch):
        self.engine = engine
        self._refused = threading.Event()
        if engine.dialect.name == "sqlite":
            def pause(seconds: float) -> None:
                self._refused.set()
                time.sleep(seconds)

            watched = SimpleNamespace(monotonic=time.monotonic, sleep=pause)
            monkeypatch.setattr(factcheck.storage.engine, "time", watched)

    def until_blocked_by(self, holder_pid: int | None) -> None:
        """Return once a writer waits for the transaction of backend `holder_pid` (on SQLite,
        for whoever holds the write lock); fail if none does."""
        if self.engine.dialect.name != "postgresql":
            if not self._refused.wait(GIVE_UP_S):
                pytest.fail("no writer waited for the write lock")
            return
        blocked = sa.text("SELECT count(*) FROM pg_stat_activity WHERE :holder = ANY(pg_blocking_pids(pid))")
        deadline = time.monotonic() + GIVE_UP_S
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as observer:
            # Polled: PostgreSQL tells no one when a backend starts to wait.
            while not observer.scalar(blocked, {"holder": holder_pid}):
                if time.monotonic() > deadline:
                    pytest.fail(f"no writer waited for backend {holder_pid}'s locks")
                time.sleep(0.01)
