"""The unit of work: services run their writes inside `transaction()`."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from factcheck.database import WRITE_OPTION
from factcheck.extensions import db
from factcheck.services.sources import SEEN


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit on success, roll back on any error; the one place services commit."""
    session = db.session()
    if session.in_transaction():
        # End any read-only snapshot (token lookup, say) so the write can begin IMMEDIATE.
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})
    try:
        # Writes flush when the service says so (or at commit), not before every query.
        with session.no_autoflush:
            yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(SEEN, None)
