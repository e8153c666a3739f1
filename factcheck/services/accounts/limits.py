"""Fixed-window rate limits shared by every worker through the database, each worker adding
its requests to the shared count in batches, and one at a time once a limit is near."""
import threading
import time
from dataclasses import dataclass
from time import monotonic

from flask import current_app
from sqlalchemy import delete, select

from factcheck.extensions import db
from factcheck.models import RateCounter
from factcheck.services.claims.sources import dialect_insert
from factcheck.storage.uow import transaction

_TALLIES = "factcheck.rate_tallies"  # app.extensions key: this worker's _Tallies


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: int
    used: int
    reset: int  # seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


@dataclass
class _Tally:
    """One subject's window as this worker knows it."""

    window: int
    seconds: int
    shared: int = 0  # the shared count when this worker last added to it
    unsent: int = 0  # requests counted here since
    sent_at: float = 0.0  # monotonic() of that


class _Tallies:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_subject: dict[str, _Tally] = {}


def _window(seconds: int) -> tuple[int, int]:
    now = int(time.time())
    return now - now % seconds, now


def count(subject: str, limit: int, batch: int | None, seconds: int = 60) -> Window:
    """Count one request in the subject's current window and return the window.

    The request is counted in this worker's memory: no statement at all, until the worker
    has `batch` (RATE_LIMIT_BATCH) uncounted requests of the subject or has held some for
    RATE_LIMIT_FLUSH_SECONDS (then `flush_due`, after the response, adds them to the shared
    count). Once the subject's count as this worker knows it is within a batch of the limit,
    each request is added to the shared count at once (one statement), so the limit is
    exact but for what the other workers have not added yet: under a batch each.
    With no batch, every request is added at once.
    """
    batch = limit + 1 if batch is None else batch
    window, now = _window(seconds)
    tallies = _tallies()
    with tallies.lock:
        tally = tallies.by_subject.get(subject)
        if tally is None or tally.window != window:
            tally = tallies.by_subject[subject] = _Tally(window, seconds, sent_at=monotonic())
        tally.unsent += 1
        used = tally.shared + tally.unsent
    if used > limit - batch:
        used = _send(subject, tally)
    return Window(limit=limit, seconds=seconds, used=used, reset=window + seconds - now)


def flush_due(batch: int, flush_seconds: float) -> None:
    """Add to the shared counts what this worker has held a full batch of, or long enough."""
    oldest = monotonic() - flush_seconds
    tallies = _tallies()
    with tallies.lock:
        # Windows that ended are forgotten once sent: their counts no longer decide anything.
        for subject in [s for s, t in tallies.by_subject.items()
                        if t.window < _window(t.seconds)[0] and not t.unsent]:
            del tallies.by_subject[subject]
        due = [(subject, tally) for subject, tally in tallies.by_subject.items()
               if tally.unsent >= batch or (tally.unsent and tally.sent_at <= oldest)]
    for subject, tally in due:
        _send(subject, tally)


def _send(subject: str, tally: _Tally) -> int:
    """Add the tally's uncounted requests to the shared count; returns the shared count."""
    lock = _tallies().lock
    with lock:
        sending, window = tally.unsent, tally.window
    if not sending:
        return tally.shared
    with transaction() as session:
        statement = dialect_insert(session)(RateCounter).values(subject=subject, window=window, count=sending)
        used = session.execute(statement.on_conflict_do_update(
            index_elements=[RateCounter.subject, RateCounter.window],
            set_={"count": RateCounter.count + sending},
        ).returning(RateCounter.count)).scalar_one()
        if used == sending:
            # First count of a new window: drop windows that ended, so the table stays small.
            session.execute(delete(RateCounter).where(RateCounter.window < window - tally.seconds))
    with lock:
        tally.unsent -= sending
        tally.shared = max(tally.shared, used)
        tally.sent_at = monotonic()
        return tally.shared + tally.unsent


def peek(subject: str, limit: int, seconds: int = 60) -> Window:
    """The subject's current window without counting a request (a read, no write): the
    shared count and what this worker holds of it."""
    window, now = _window(seconds)
    used = db.session.scalar(select(RateCounter.count).where(
        RateCounter.subject == subject, RateCounter.window == window)) or 0
    tallies = _tallies()
    with tallies.lock:
        tally = tallies.by_subject.get(subject)
        used += tally.unsent if tally is not None and tally.window == window else 0
    return Window(limit=limit, seconds=seconds, used=used, reset=window + seconds - now)


def _tallies() -> _Tallies:
    # Per app, so that two apps in one process (tests) never share counts.
    return current_app.extensions.setdefault(_TALLIES, _Tallies())
