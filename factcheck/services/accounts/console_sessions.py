"""The console's sessions: opened by signing in with a token, ended by signing out, kept by the server."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, update

from factcheck.extensions import db
from factcheck.models import ApiToken, ConsoleSession, User
from factcheck.models.types import UTCDateTime, utcnow
from factcheck.services.accounts import tokens
from factcheck.services.accounts.actors import Actor
from factcheck.storage.uow import transaction


def new_key() -> str:
    """A session's key: 256 random bits, held by the browser's cookie alone."""
    return secrets.token_urlsafe(32)


def _digest(key: str) -> str:
    # As for tokens: the key is random, so a fast hash is enough, and a copy of the table opens nothing.
    return hashlib.sha256(key.encode()).hexdigest()


def open_session(token_id: int, lifetime: timedelta, previous_key: str | None = None) -> str:
    """A session of the token (authenticated just now), and its new key. The session the
    browser held before ends; sessions past their expiry are deleted (ended ones are kept
    until then)."""
    key, now = new_key(), utcnow()
    with transaction() as session:
        if previous_key:
            _end(session, previous_key, now)
        session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now)
                        .execution_options(synchronize_session=False))
        session.add(ConsoleSession(key_hash=_digest(key), token_id=token_id, created_at=now,
                                   expires_at=now + lifetime))
    return key


def actor_of_session(key: str) -> Actor | None:
    """The actor of a session, checked on every request: None for a key of no session, and
    once the session ended or expired or its token was revoked or expired."""
    now = utcnow()
    row = db.session.execute(_LIVE, {"key_hash": _digest(key), "now": now}).first()
    if row is None or not tokens.usable(row, now):
        return None
    return Actor(user_id=row.user_id, token_id=row.id, organisation_id=row.organisation_id, role=row.role,
                 name=row.name)


# The session, its token and the token's user in one statement, built once, of columns
# rather than entities: every console request runs it, and this way it costs a third.
_LIVE = (select(ApiToken.id, ApiToken.user_id, ApiToken.revoked_at, ApiToken.expires_at,
                User.organisation_id, User.role, User.name)
         .join(ConsoleSession, ConsoleSession.token_id == ApiToken.id).join(User, User.id == ApiToken.user_id)
         .where(ConsoleSession.key_hash == bindparam("key_hash"), ConsoleSession.ended_at.is_(None),
                ConsoleSession.expires_at > bindparam("now", type_=UTCDateTime)))


def end_session(key: str) -> None:
    """Signing out: the session's cookie, wherever it was copied, opens nothing from now on."""
    with transaction() as session:
        _end(session, key, utcnow())


def _end(session, key: str, now) -> None:
    session.execute(update(ConsoleSession).where(ConsoleSession.key_hash == _digest(key),
                                                 ConsoleSession.ended_at.is_(None))
                    .values(ended_at=now).execution_options(synchronize_session=False))
