"""Fixed-window rate limits counted in the database, so every worker counts against one limit."""
import time
from dataclasses import dataclass

from sqlalchemy import delete, select

from factcheck.extensions import db
from factcheck.models import RateCounter
from factcheck.services.sources import dialect_insert
from factcheck.services.uow import transaction


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


def _window(seconds: int) -> tuple[int, int]:
    now = int(time.time())
    return now - now % seconds, now


def count(subject: str, limit: int, seconds: int = 60) -> Window:
    """Count one request in the subject's current window and return the window."""
    window, now = _window(seconds)
    with transaction() as session:
        statement = dialect_insert(session)(RateCounter).values(subject=subject, window=window, count=1)
        used = session.execute(statement.on_conflict_do_update(
            index_elements=[RateCounter.subject, RateCounter.window],
            set_={"count": RateCounter.count + 1},
        ).returning(RateCounter.count)).scalar_one()
        if used == 1:
            # First hit of a new window: drop windows that ended, so the table stays small.
            session.execute(delete(RateCounter).where(RateCounter.window < window - seconds))
    return Window(limit=limit, seconds=seconds, used=used, reset=window + seconds - now)


def peek(subject: str, limit: int, seconds: int = 60) -> Window:
    """The subject's current window without counting a request (a read, no write)."""
    window, now = _window(seconds)
    used = db.session.scalar(select(RateCounter.count).where(
        RateCounter.subject == subject, RateCounter.window == window)) or 0
    return Window(limit=limit, seconds=seconds, used=used, reset=window + seconds - now)
