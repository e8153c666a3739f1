"""New claims indexed and linked after their own transaction commits, by one linker at a time."""
import fcntl
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from sqlalchemy import delete, exists, insert, select
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
BATCH = 200
# PostgreSQL's advisory lock of the linker (two keys: this one, and the schema's hash, so
# that instances sharing a database in separate schemas do not wait for each other).
_LOCK_KEY = 0x6C696E6B  # "link"
_LOCK = "SELECT {function}(:key, hashtext(current_schema()))"
# Where no lock file can be made (an in-memory SQLite database), one process is all there is.
_PROCESS_LOCK = threading.Lock()


def queue(session: Session, claims: Collection[Claim]) -> None:
    """Leave new (flushed) claims for the linker, which runs once this transaction commits."""
    now = utcnow()
    session.execute(insert(PendingLink), [{"claim_id": claim.id, "created_at": now} for claim in claims])
    after_commit(session, link_pending)


def hold_linker(session: Session) -> None:
    """Make this write transaction the linker until it ends (a bulk import links its own
    claims); the claims queued meanwhile are linked once it commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql_text(_LOCK.format(function="pg_advisory_xact_lock")), {"key": _LOCK_KEY})
    # On SQLite the transaction's write lock already keeps every other linker out.
    after_commit(session, link_pending)


def link_pending(batch: int = BATCH) -> int:
    """Index and link the pending claims, a batch per transaction; returns how many.

    When another linker is at work this returns at once: that one looks for pending
    claims again each time it lets go of the lock, so it links these too.
    """
    linked = 0
    # Each time it lets go of the lock, it looks again: a claim whose writer found the lock
    # taken may have committed after this linker read the queue.
    while (done := _link_batch(batch)) is not None:
        linked += done
        if not has_pending():
            break
    return linked


def has_pending() -> bool:
    # A connection of its own: on SQLite a snapshot kept from an earlier look would hide
    # the claims committed since.
    with db.engine.connect() as connection:
        return bool(connection.scalar(select(exists().where(PendingLink.claim_id.is_not(None)))))


def pending_ids() -> list[int]:
    with db.engine.connect() as connection:
        return list(connection.scalars(select(PendingLink.claim_id).order_by(PendingLink.claim_id)))


def _link_batch(limit: int) -> int | None:
    """One batch of pending claims, oldest first, linked in one transaction; None when
    another linker holds the lock."""
    with _sqlite_lock() as held:
        if not held:
            return None
        _encode_ahead(limit)
        with transaction() as session:
            if not _try_lock(session):
                return None
            ids = list(session.scalars(select(PendingLink.claim_id).order_by(PendingLink.claim_id).limit(limit)))
            if not ids:
                return 0
            claims = list(session.scalars(select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id)))
            refresh_groups(session, link_and_index(session, claims).groups)
            enqueue_events(session)  # a group a new claim joined may have become contested
            session.execute(delete(PendingLink).where(PendingLink.claim_id.in_(ids)))
        return len(ids)


def _encode_ahead(limit: int) -> None:
    """SQLite: encode the batch's texts before its transaction takes the database's write
    lock, which every writer waits on (the linker keeps them); on PostgreSQL the linker's
    transaction locks no row another writer wants, so it encodes inside it."""
    if db.engine.dialect.name != "sqlite" or (stage := semantic()) is None:
        return
    with db.engine.connect() as connection:
        texts = list(connection.scalars(select(Claim.text).join(PendingLink, PendingLink.claim_id == Claim.id)
                                        .order_by(PendingLink.claim_id).limit(limit)))
    stage.encode(texts)


def _try_lock(session: Session) -> bool:
    """PostgreSQL: the linker's advisory lock, held until this transaction ends, if free."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(sql_text(_LOCK.format(function="pg_try_advisory_xact_lock")), {"key": _LOCK_KEY}))


@contextmanager
def _sqlite_lock() -> Iterator[bool]:
    """SQLite: a lock file beside the database, taken without waiting, so that the workers
    that lose do not queue for the write lock only to find nothing left to link. The
    system drops it when its process dies."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        yield True
        return
    if not url.database or url.database == ":memory:":
        held = _PROCESS_LOCK.acquire(blocking=False)
        try:
            yield held
        finally:
            if held:
                _PROCESS_LOCK.release()
        return
    with open(f"{url.database}.linker", "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
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
        with engine.connect() as connection:
            with connection.begin():
                connection.execute(sql_text(_LOCK.format(function="pg_advisory_xact_lock")), {"key": _LOCK_KEY})
                yield
        return
    with _sqlite_lock() as held:
        if not held:
            raise RuntimeError("the linker is at work")
        yield
