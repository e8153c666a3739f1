"""Near-duplicate links between claims, and the term index the matcher searches."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.extensions import db
from factcheck.models.claims import Claim
from factcheck.models.types import UTCDateTime, utcnow

LINK_STATUSES = ("suggested", "confirmed", "rejected")
ENGINE = "engine"  # decided_by of a link the engine confirmed itself


class ClaimLink(db.Model):
    """One pair of claims the engine found alike; a fact-checker may confirm or reject it."""

    __tablename__ = "claim_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The pair is stored once, lower id first, so "one link per pair" is a unique constraint.
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    scorer: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    claim: Mapped[Claim] = relationship(foreign_keys=[claim_id])
    other: Mapped[Claim] = relationship(foreign_keys=[other_id])

    __table_args__ = (
        UniqueConstraint("claim_id", "other_id", name="uq_claim_links_pair"),
        CheckConstraint("claim_id < other_id", name="ordered_pair"),
        # The review queue (services.links.review_queue): one status, best score or newest first.
        Index("ix_claim_links_queue_score", "status", "score", "id"),
        Index("ix_claim_links_queue_newest", "status", "id"),
    )
    __mapper_args__ = {"version_id_col": version}


class MatchTerm(db.Model):
    """An index term and how many claims hold it (document frequency, for BM25's idf)."""

    __tablename__ = "match_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(100), unique=True)
    df: Mapped[int] = mapped_column(Integer, default=0)


class ClaimTerm(db.Model):
    """A posting: claim holds term, with BM25's term-frequency weight fixed at insert time."""

    __tablename__ = "claim_terms"

    term_id: Mapped[int] = mapped_column(ForeignKey("match_terms.id"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    weight: Mapped[float] = mapped_column(Float)

    # The candidate query reads postings by term: (term_id -> claim_id, weight) come from the
    # primary key's b-tree alone, without a table page per posting (at 1M claims, 50k heap
    # reads for one probe). On SQLite the table is that b-tree (WITHOUT ROWID); PostgreSQL's
    # key index carries the weight (INCLUDE).
    __table_args__ = (
        PrimaryKeyConstraint("term_id", "claim_id", postgresql_include=["weight"]),
        {"sqlite_with_rowid": False},
    )


class MatchStats(db.Model):
    """Corpus figures BM25 needs over the claims linked so far: one row, id 1, written only
    by the one linker at work (services.links.linker), never by a claim's own transaction."""

    __tablename__ = "match_stats"

    id: Mapped[int] = mapped_column(primary_key=True)
    claims: Mapped[int] = mapped_column(Integer, default=0)
    terms: Mapped[int] = mapped_column(Integer, default=0)


class PendingLink(db.Model):
    """A claim stored but not yet indexed and linked: the work its transaction left for the
    linker (services.links.linker), kept until the linker commits."""

    __tablename__ = "pending_links"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredLinkDecision(db.Model):
    """A link decision refitted on this instance's decisions (matching.decision as JSON); the
    newest row is the one every worker scores with, the shipped model until there is one."""

    __tablename__ = "link_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(48), unique=True)
    model: Mapped[str] = mapped_column(Text)
    decisions: Mapped[int] = mapped_column(Integer)  # the people's decisions it was fitted on
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
