"""New claims indexed and linked after their own transaction commits, by one linker at a time."""
import fcntl
import logging
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import partial

from flask import Flask, current_app
from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy import text as sql_text
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
BATCH = 16
# The claims a write links after its commit, its own and the oldest others pending.
SHARE = 8
# Claims pending past which a writer waits for the linker (link_own).
BACKLOG = 64
# PostgreSQL's advisory lock of the linker (two keys: this one, and the schema's hash, so
# that instances sharing a database in separate schemas do not wait for each other).
_LOCK_KEY = 0x6C696E6B  # "link"
_LOCK = "SELECT {function}(:key, hashtext(current_schema()))"
# Where no lock file can be made (an in-memory SQLite database), one process is all there is.
_PROCESS_LOCK = threading.Lock()
# The app.extensions key of the app's background linker.
KEY = "factcheck.linker"


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
    claims); the writers kept out meanwhile leave theirs to their background linkers, or,
    past BACKLOG pending claims, wait for it."""
    _take_lock(session, wait=True)  # on SQLite the transaction's write lock keeps other linkers out


def link_own(ids: list[int]) -> None:
    """After a write commits, link its claims with the oldest others pending (SHARE in all)
    if no other linker is at work; its client then waits for a small batch, never the
    backlog, which the worker's background linker links. But once BACKLOG claims are
    pending, links are falling behind writes: the writer waits for the lock and links a
    full batch, and so writers slow down to the pace of linking."""
    limit = max(SHARE, len(ids))
    done = _link_batch(limit, wanted=ids)
    if done is None and _backlog() >= BACKLOG:
        limit = max(BATCH, len(ids))
        done = _link_batch(limit, wanted=ids, wait=True)
    if done is None or done == limit:  # a full batch: others may be left
        background().wake()


def _backlog() -> int:
    """The claims pending, counted up to BACKLOG."""
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(
            select(PendingLink.claim_id).limit(BACKLOG).subquery()))


def link_pending(batch: int = BATCH, wait: bool = False) -> int:
    """Index and link every pending claim, a batch per transaction; returns how many.
    When another linker holds the lock, this waits for it, or stops and leaves them to it."""
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
                    link_pending(wait=True)
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


def pending_ids() -> list[int]:
    with db.engine.connect() as connection:
        return list(connection.scalars(select(PendingLink.claim_id).order_by(PendingLink.claim_id)))


def _link_batch(limit: int, wanted: list[int] | None = None, wait: bool = False) -> int | None:
    """Up to `limit` pending claims linked in one transaction, the oldest (with `wanted`,
    those and the oldest others); returns how many. None when another linker holds the
    lock, unless told to wait for it."""
    pending = select(PendingLink.claim_id).order_by(PendingLink.claim_id).limit(limit)
    if wanted is not None:  # those, and the oldest others
        oldest = pending.limit(limit - len(wanted)).where(PendingLink.claim_id.not_in(wanted))
        pending = select(PendingLink.claim_id).where(
            PendingLink.claim_id.in_(wanted) | PendingLink.claim_id.in_(oldest.scalar_subquery()))
    with _sqlite_lock(wait) as held:
        if not held:
            return None
        _encode_ahead(pending)
        with transaction() as session:
            if not _take_lock(session, wait):
                return None
            ids = list(session.scalars(pending))
            if not ids:
                return 0
            claims = list(session.scalars(select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id)))
            refresh_groups(session, link_and_index(session, claims).groups)
            enqueue_events(session)  # a group a new claim joined may have become contested
            session.execute(delete(PendingLink).where(PendingLink.claim_id.in_(ids)))
        return len(ids)


def _encode_ahead(pending: Select) -> None:
    """SQLite: encode the batch's texts before its transaction takes the database's write
    lock, which every writer waits on (the linker keeps them); on PostgreSQL the linker's
    transaction locks no row another writer wants, so it encodes inside it."""
    if db.engine.dialect.name != "sqlite" or (stage := semantic()) is None:
        return
    with db.engine.connect() as connection:
        texts = list(connection.scalars(select(Claim.text).where(Claim.id.in_(pending.scalar_subquery()))))
    stage.encode(texts)


def _take_lock(session: Session, wait: bool) -> bool:
    """PostgreSQL: the linker's advisory lock, held until this transaction ends; False if
    another linker holds it and we are not to wait."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    if wait:
        session.execute(sql_text(_LOCK.format(function="pg_advisory_xact_lock")), {"key": _LOCK_KEY})
        return True
    return bool(session.scalar(sql_text(_LOCK.format(function="pg_try_advisory_xact_lock")), {"key": _LOCK_KEY}))


@contextmanager
def _sqlite_lock(wait: bool) -> Iterator[bool]:
    """SQLite: a lock file beside the database, taken before the write lock, so that writers
    that lose it do not queue for the write lock only to find nothing left to link. The
    system drops it when its process dies."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        yield True
        return
    if not url.database or url.database == ":memory:":
        held = _PROCESS_LOCK.acquire(blocking=wait)
        try:
            yield held
        finally:
            if held:
                _PROCESS_LOCK.release()
        return
    with open(f"{url.database}.linker", "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True  # closing the file lets go of the lock


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
    with _sqlite_lock(wait=False) as held:
        if not held:
            raise RuntimeError("the linker is at work")
        yield
