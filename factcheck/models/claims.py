"""Claims, their appearances in the press, and the verdicts fact-checkers give them."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.extensions import db
from factcheck.matching import prepare
from factcheck.models.sources import Article, Claimant
from factcheck.models.types import UTCDateTime, utcnow

STANCES = ("asserts", "denies", "reports")
STATUSES = ("unchecked", "checked", "contested")
VERDICT_STATUSES = ("draft", "published", "withdrawn")
CONTEST_REASONS = ("verdicts_disagree", "sources_disagree")
REVIEW_URL_LENGTH = 2048


def text_key(text: str) -> str:
    """A short digest of a claim's text: exact-text lookups use its index (a B-tree over
    the texts themselves would be large, and PostgreSQL limits an index entry's size)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _text_key_default(context) -> str:
    return text_key(context.get_current_parameters()["text"])


def _link_text_default(context) -> str:
    return prepare(context.get_current_parameters()["text"])


class Claim(db.Model):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(String(32), index=True, default=_text_key_default)
    language: Mapped[str] = mapped_column(String(35), default="en")
    # One of factcheck.language.LANGUAGE_SOURCES: "given", "detected" from the text, or
    # "unknown" for claims stored before it was recorded.
    language_source: Mapped[str] = mapped_column(String(8), server_default="unknown")
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("claimants.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # When the claim was made, if known; with the date as its source wrote it (a day alone,
    # or a time with its offset), which the instant alone cannot give back.
    claim_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_date_as_published: Mapped[str | None] = mapped_column(String(40))
    # Claims joined by confirmed links share a group, named by its lowest claim id; a
    # claim alone is its own group. Verdicts and the summary below are per group.
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Index terms the matcher stored for this claim (BM25's document length).
    n_terms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The text as link scoring compares it (matching.prepare), kept so that scoring a new
    # claim's ~450 candidates reads it rather than cleaning each text again (~20 us each:
    # most of linking's rescoring at a million claims). Derived, like the index terms.
    link_text: Mapped[str] = mapped_column(Text, default=_link_text_default)
    # Moved on by every edit and removal, checked against If-Match (not by the mapper:
    # a group's summary, rewritten by other members' writes, is not the claim's wording).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set when an editor removed the claim (spam, a mistake): it leaves every list, search,
    # feed, export and group, and keeps its row for the audit trail. Its group_id is then null.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_reason: Mapped[str | None] = mapped_column(Text)
    # Demand: how often the claim was asked about (a match that ranked it first with a
    # strong score, a new appearance, a new wording linked to its group), and when last.
    asked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Derived from the group's verdicts and appearances on every write, so that
    # lists can filter and order on them without recomputing (see services.links.groups.refresh_groups).
    status: Mapped[str] = mapped_column(String(16), default="unchecked", index=True)
    consensus_category: Mapped[str | None] = mapped_column(String(16), index=True)
    consensus_score: Mapped[float | None] = mapped_column(Float)
    verdicts_disagree: Mapped[bool] = mapped_column(Boolean, default=False)
    sources_disagree: Mapped[bool] = mapped_column(Boolean, default=False)
    contest_score: Mapped[float | None] = mapped_column(Float)

    claimant: Mapped[Claimant | None] = relationship(lazy="joined")
    appearances: Mapped[list[Appearance]] = relationship(
        back_populates="claim", order_by="Appearance.id", cascade="all, delete-orphan"
    )
    verdicts: Mapped[list[Verdict]] = relationship(
        back_populates="claim", order_by="Verdict.id", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_claims_contest_order", "contest_score", "id"),
                      Index("ix_claims_demand_order", "asked", "id"))

    @property
    def consensus(self) -> dict | None:
        if self.consensus_category is None:
            return None
        return {"category": self.consensus_category, "score": self.consensus_score}

    @property
    def demand(self) -> dict:
        return {"asked": self.asked, "last_asked_at": self.asked_at}

    @property
    def contested_because(self) -> list[str]:
        return [reason for reason in CONTEST_REASONS if getattr(self, reason)]


class Appearance(db.Model):
    """A claim as one source printed it."""

    __tablename__ = "appearances"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("claimants.id"), index=True)
    quote: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(8), default="reports")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="appearances")
    article: Mapped[Article] = relationship(lazy="joined")
    claimant: Mapped[Claimant | None] = relationship(lazy="joined")


class Publisher(db.Model):
    """A fact-checking organisation as it signs its verdicts."""

    __tablename__ = "publishers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    site: Mapped[str] = mapped_column(String(253), unique=True)


class Signature(NamedTuple):
    """A verdict's publisher as the verdict was signed."""

    name: str
    site: str


class Verdict(db.Model):
    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publishers.id"), index=True)
    rating: Mapped[str] = mapped_column(String(200))
    rating_value: Mapped[float | None] = mapped_column(Float)
    best_rating: Mapped[float | None] = mapped_column(Float)
    worst_rating: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    category: Mapped[str] = mapped_column(String(16), index=True)
    explanation: Mapped[str | None] = mapped_column(Text)
    # Imports find a review by its url (indexed, hence shorter than an article's).
    url: Mapped[str | None] = mapped_column(String(REVIEW_URL_LENGTH), index=True)
    # None when imported markup gave no date (a verdict submitted without one dates from then);
    # see Claim.claim_date for the other column.
    review_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_date_as_published: Mapped[str | None] = mapped_column(String(40))
    # The name the review was signed with; the publisher (its site) is the identity.
    publisher_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Only published verdicts count; drafts are seen by their organisation alone.
    status: Mapped[str] = mapped_column(String(16), default="published", server_default="published",
                                        index=True)
    # The newsroom that speaks as the publisher (its site is the publisher's); null for an
    # external review, of a publisher no newsroom on the instance owns.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Set by the server when the verdict is first published: a publisher's latest verdict is
    # its last published one, whatever review_date the client gave; a verdict never published
    # (a draft, or a draft withdrawn) stays private to its newsroom.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Came in through an import; imported_by_id is the importing newsroom (null: an operator).
    # Only that importer's re-imports, or an operator, may change an external review.
    imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # The later verdict of the same publisher on the same claim that replaced this one.
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"))
    # Why its newsroom withdrew it (required when withdrawing).
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    # Checked by the UPDATE itself (If-Match), so two workers cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    claim: Mapped[Claim] = relationship(back_populates="verdicts")
    publisher: Mapped[Publisher] = relationship(lazy="joined")

    @property
    def signed_by(self) -> Signature:
        return Signature(self.publisher_name or self.publisher.name, self.publisher.site)

    # The ClaimReview feed walks verdicts by last change.
    __table_args__ = (Index("ix_verdicts_updated_at_id", "updated_at", "id"),)
    __mapper_args__ = {"version_id_col": version}
