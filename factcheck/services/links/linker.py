"""New claims indexed and linked after their own transaction commits, by one linker at a time."""
import fcntl
import logging
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import partial
from typing import IO

from flask import Flask, current_app
from sqlalchemy import Connection, Select, delete, exists, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.models import Claim, PendingLink
from factcheck.models.types import utcnow
from factcheck.services.links.decisions import link_and_index
from factcheck.services.links.embeddings import semantic
from factcheck.services.links.groups import refresh_groups
from factcheck.services.webhooks.outbox import enqueue_events
from factcheck.storage.uow import after_commit, transaction

# Claims linked per transaction: a burst is linked in a few short transactions, each
# holding the linker's lock only briefly.
BATCH = 200
# PostgreSQL's advisory lock of the linker (two keys: this one, and the schema's hash, so
# that instances sharing a database in separate schemas do not wait for each other).
_LOCK_KEY = 0x6C696E6B  # "link"
_LOCK = "SELECT {function}(:key, hashtext(current_schema()))"
# Where no lock file can be made (an in-memory SQLite database), one process is all there is.
_PROCESS_LOCK = threading.Lock()
# The app.extensions key of the app's background linker.
KEY = "factcheck.linker"
# How long a writer waits for another linker to let go before it leaves its claims to its
# background linker: a bulk import holds the lock for a whole batch.
WAIT_S = 2.0
FLOCK_POLL_S = 0.002
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout runs out


def queue(session: Session, claims: Collection[Claim]) -> None:
    """Leave new (flushed) claims for the linker: once this transaction commits, their
    writer links them (link_own)."""
    now = utcnow()
    session.execute(insert(PendingLink), [{"claim_id": claim.id, "created_at": now} for claim in claims])
    link_after_commit(session, [claim.id for claim in claims])


def link_after_commit(session: Session, ids: list[int]) -> None:
    """Once this transaction commits, link these pending claims (link_own)."""
    after_commit(session, partial(link_own, ids))


def hold_linker(session: Session) -> None:
    """Make this write transaction the linker until it ends (a bulk import links its own
    claims). The writers kept out meanwhile leave theirs to their background linkers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql_text(_LOCK.format(function="pg_advisory_xact_lock")), {"key": _LOCK_KEY})
    # On SQLite the transaction's write lock already keeps every other linker out.


def link_own(ids: list[int]) -> None:
    """After a write commits, link its claims still pending, waiting up to WAIT_S for the
    lock. A linker links every pending claim (a batch at a time), so the writers waiting
    behind it mostly find theirs linked: linking keeps pace with writing, and the wait is
    what holds writers back when it would not. If the wait runs out (a bulk import holds
    the lock), the worker's background linker links them."""
    while done := _link_batch(BATCH, wanted=ids, wait=WAIT_S):
        pass
    if done is None:
        _wake_background()


def _wake_background() -> None:
    background().wake()


def link_pending(batch: int = BATCH, wait: float | None = 0) -> int:
    """Index and link every pending claim, a batch per transaction; returns how many.
    When another linker holds the lock for over `wait` seconds (None: wait as long as it
    takes), this stops, leaving them to it."""
    linked = 0
    while (done := _link_batch(batch, wait=wait)) is not None:
        linked += done
        if done < batch:
            break
    return linked


class BackgroundLinker:
    """An app's linker of what its writes left pending: a thread started when there is work
    and ended when none is left, so an idle worker keeps none."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._guard = threading.Lock()
        self._wanted = False
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        with self._guard:
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="factcheck-linker", daemon=True)
                self._thread.start()

    def join(self, timeout: float) -> bool:
        """Wait for the thread to end; False if it is still at work after `timeout` seconds."""
        with self._guard:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _run(self) -> None:
        while True:
            with self._guard:
                if not self._wanted:
                    self._thread = None
                    return
                self._wanted = False
            with self.app.app_context():
                try:
                    link_pending(wait=None)
                except Exception:  # the claims stay pending: the next write, or worker, links them
                    logging.getLogger(__name__).exception("The background linker failed")
                finally:
                    db.session.remove()


def background(app: Flask | None = None) -> BackgroundLinker:
    """The app's (by default the current app's) background linker."""
    app = app or current_app._get_current_object()
    if (linker := app.extensions.get(KEY)) is None:
        linker = app.extensions.setdefault(KEY, BackgroundLinker(app))
    return linker


def has_pending() -> bool:
    # A connection of its own: on SQLite a snapshot kept from an earlier look would hide
    # the claims committed since.
    with db.engine.connect() as connection:
        return bool(connection.scalar(select(exists().where(PendingLink.claim_id.is_not(None)))))


def pending_ids() -> list[int]:
    with db.engine.connect() as connection:
        return list(connection.scalars(select(PendingLink.claim_id).order_by(PendingLink.claim_id)))


class _Busy(Exception):
    """Another linker held the lock for longer than we would wait."""


def _link_batch(limit: int, wanted: list[int] | None = None, wait: float | None = 0) -> int | None:
    """The oldest `limit` pending claims linked in one transaction; returns how many, 0
    if none of `wanted` (when given) is pending any more. None when another linker holds
    the lock after `wait` seconds (None: as long as it takes)."""
    pending = select(PendingLink.claim_id).order_by(PendingLink.claim_id).limit(limit)
    with _sqlite_lock(wait) as held:
        if not held:
            return None
        if not _before_write_lock(pending, wanted):
            return 0  # linked by the linker we waited for
        try:
            with transaction() as session:
                if not _take_lock(session, wait):
                    raise _Busy
                if wanted is not None and not _any_pending(session, wanted):
                    return 0
                ids = list(session.scalars(pending))
                if not ids:
                    return 0
                claims = list(session.scalars(select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id)))
                refresh_groups(session, link_and_index(session, claims).groups)
                enqueue_events(session)  # a group a new claim joined may have become contested
                session.execute(delete(PendingLink).where(PendingLink.claim_id.in_(ids)))
        except _Busy:
            return None
        return len(ids)


def _any_pending(reader: Session | Connection, ids: list[int]) -> bool:
    return bool(reader.scalar(select(exists().where(PendingLink.claim_id.in_(ids)))))


def _before_write_lock(pending: Select, wanted: list[int] | None) -> bool:
    """SQLite, the linker's lock file held: encode the batch's texts before its transaction
    takes the database's write lock, which every writer waits on; False if none of `wanted`
    is pending any more. (On PostgreSQL the linker's transaction locks no row another
    writer wants, so it encodes inside it.)"""
    if db.engine.dialect.name != "sqlite":
        return True
    stage = semantic()
    with db.engine.connect() as connection:
        if wanted is not None and not _any_pending(connection, wanted):
            return False
        texts = [] if stage is None else list(connection.scalars(
            select(Claim.text).where(Claim.id.in_(pending.scalar_subquery()))))
    if texts:
        stage.encode(texts)
    return True


def _take_lock(session: Session, wait: float | None) -> bool:
    """PostgreSQL: the linker's advisory lock, held until this transaction ends; False if
    another linker holds it after `wait` seconds (the transaction is then aborted)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    if wait == 0:
        return bool(session.scalar(sql_text(_LOCK.format(function="pg_try_advisory_xact_lock")),
                                   {"key": _LOCK_KEY}))
    if wait is not None:
        session.execute(sql_text(f"SET LOCAL lock_timeout = '{int(wait * 1000)}ms'"))
    try:
        session.execute(sql_text(_LOCK.format(function="pg_advisory_xact_lock")), {"key": _LOCK_KEY})
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            return False
        raise
    return True


@contextmanager
def _sqlite_lock(wait: float | None) -> Iterator[bool]:
    """SQLite: a lock file beside the database, taken before the write lock, so that writers
    that lose it do not queue for the write lock only to find nothing left to link. The
    system drops it when its process dies. Waits up to `wait` seconds (None: as long as
    it takes)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        yield True
        return
    if not url.database or url.database == ":memory:":
        held = _PROCESS_LOCK.acquire(blocking=wait != 0, timeout=-1 if wait in (None, 0) else wait)
        try:
            yield held
        finally:
            if held:
                _PROCESS_LOCK.release()
        return
    with open(f"{url.database}.linker", "a") as lock_file:
        yield _flock(lock_file, wait)  # closing the file lets go of the lock


def _flock(lock_file: IO, wait: float | None) -> bool:
    if wait is None:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        return True
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(FLOCK_POLL_S)  # flock has no timeout of its own


@contextmanager
def linker_held() -> Iterator[None]:
    """Hold the linker's lock from outside the app's transactions (tests, maintenance):
    claims written meanwhile stay pending until it is let go."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection, connection.begin():
            connection.execute(sql_text(_LOCK.format(function="pg_advisory_xact_lock")), {"key": _LOCK_KEY})
            yield
        return
    with _sqlite_lock(wait=0) as held:
        if not held:
            raise RuntimeError("the linker is at work")
        yield
