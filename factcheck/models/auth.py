"""Newsrooms, their people and the API tokens they act with (only a token's hash is stored)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.extensions import db
from factcheck.models.types import UTCDateTime, utcnow

# Ordered: each role may do what the roles before it may. `admin` manages its own newsroom;
# `operator` runs the instance (creates newsrooms, sees all of them) and is granted by the CLI only.
ROLES = ("reader", "factchecker", "editor", "admin", "operator")
NEWSROOM_ROLES = ROLES[:-1]


class Organisation(db.Model):
    """A newsroom: verdicts belong to the organisation that published them."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Its identity as a publisher (sources.normalise_site): no two newsrooms sign as one site.
    # None only for newsrooms made before sites were required, until an operator sets one.
    site: Mapped[str | None] = mapped_column(String(253), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # A visible prefix lets an admin tell tokens apart without ever seeing a secret.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    user: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def role(self) -> str:
        return self.user.role


class ConsoleSession(db.Model):
    """A browser signed in to the console with a token. Its cookie holds a random key and the
    row that key's hash (as with tokens), so signing out ends it wherever the cookie was copied."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Fixed at sign-in (PERMANENT_SESSION_LIFETIME later), as the cookie's own expiry is.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
