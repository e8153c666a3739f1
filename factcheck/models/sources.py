"""Where claims come from: outlets, their articles, and the claimants quoted in them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck.extensions import db
from factcheck.models.types import UTCDateTime, utcnow


class Outlet(db.Model):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(253), unique=True)

    articles: Mapped[list[Article]] = relationship(back_populates="outlet")


# An article's url, as identity.canonical_url spells it: as long as browsers and servers
# commonly take (a post's address on a social platform can pass 2,000 characters).
URL_LENGTH = 8192


class Article(db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    # identity.url_key(url): unique, and what articles are found by; an index of the url
    # itself would refuse the longest ones on PostgreSQL.
    url_key: Mapped[str] = mapped_column(String(64), unique=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    outlet: Mapped[Outlet] = relationship(back_populates="articles", lazy="joined")


class Claimant(db.Model):
    __tablename__ = "claimants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Casefolded, whitespace-collapsed name: "Dmitry  Peskov" and "dmitry peskov" are one claimant.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
