"""A stored claim found by its exact text, and the lock that stores each new text once."""
from collections.abc import Collection

from sqlalchemy import Connection, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from factcheck.models import Claim
from factcheck.models.claims import text_key

# The first key of pg_advisory_xact_lock(int, int): a space of its own for claim texts.
TEXT_LOCKS = 0x74657874
_LOCK = sql_text("SELECT pg_advisory_xact_lock(:space, k) FROM unnest(CAST(:keys AS integer[])) AS k")


def lock_texts(session: Session, texts: Collection[str]) -> None:
    """Be, until the transaction ends, the one writer that may store these texts as claims.

    Two writers of one new text would otherwise both find it missing and both store it.
    SQLite runs one write transaction at a time (BEGIN IMMEDIATE) already. PostgreSQL takes
    an advisory lock per text (32 bits of its digest: a collision only makes two writers
    wait for each other), in one order, so that writers of several texts cannot deadlock.
    Take it before any row lock: a writer waiting for it then holds nothing another waits for.
    """
    if not texts or session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({int(text_key(text)[:8], 16) - 2**31 for text in texts})
    session.execute(_LOCK, {"space": TEXT_LOCKS, "keys": keys})


def same_text(session: Session, text: str) -> int | None:
    """The first claim (not removed) with exactly this text, found by its indexed digest:
    linked or still waiting for the linker (which a lookup through the term index would miss)."""
    return session.scalars(select(Claim.id).where(Claim.text_key == text_key(text), Claim.text == text,
                                                  Claim.removed_at.is_(None))
                           .order_by(Claim.id).limit(1)).first()


def unstored(connection: Connection, texts: Collection[str]) -> list[str]:
    """Those of the texts that no claim (not removed) holds, in their order, each once."""
    if not texts:
        return []
    keys = {text_key(text) for text in texts}
    stored = set(connection.scalars(select(Claim.text).where(Claim.text_key.in_(keys), Claim.removed_at.is_(None))))
    return [text for text in dict.fromkeys(texts) if text not in stored]
