"""Articles posted for analysis: their text, the candidate claims found in it, and each newsroom's decisions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.extensions import db
from factcheck.models.sources import Article
from factcheck.models.types import UTCDateTime, utcnow

DECISIONS = ("accepted", "rejected")


class ArticleText(db.Model):
    """The analysed text of an article (one per canonical url: the article's own row)."""

    __tablename__ = "article_texts"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    # The check-worthiness model that scored the candidates (factcheck.articles.worthiness).
    scorer: Mapped[str] = mapped_column(String(64))
    # Whether claimants and stances were read (the language is one the rules know).
    attributed: Mapped[bool] = mapped_column(default=True)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Times the article was posted again (its text, title or date updated).
    updates: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    article: Mapped[Article] = relationship(lazy="joined")

    @property
    def id(self) -> int:
        """The article's id (the audit trail names entities by id)."""
        return self.article_id
    candidates: Mapped[list[Candidate]] = relationship(
        back_populates="article_text", order_by="Candidate.position", cascade="all, delete-orphan")


class Candidate(db.Model):
    """A claim the analysis found in the article, with who it says makes it."""

    __tablename__ = "article_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article_texts.article_id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    claim: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    claimant: Mapped[str | None] = mapped_column(String(200))
    stance: Mapped[str] = mapped_column(String(8))
    checkworthiness: Mapped[float] = mapped_column(Float)

    article_text: Mapped[ArticleText] = relationship(back_populates="candidates")


class CandidateDecision(db.Model):
    """A newsroom's decision on a candidate: accepted (as a claim's appearance) or rejected."""

    __tablename__ = "candidate_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("article_candidates.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    decision: Mapped[str] = mapped_column(String(8))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("candidate_id", "organisation_id"),)
