"""Claims as clients read them: plain dicts in the shape of schemas.claims.ClaimSchema.

The hot reads (a claim, the claim lists, match) answer with these documents, built from
three Core statements whatever the page holds: the claims, their appearances, and the
published verdicts of their groups (a verdict serves the whole group). Loading ORM objects
and dumping them through marshmallow cost about three times as much per claim; the
schema still documents the shape, and tests/api/test_claim_documents.py holds every
document to it.
"""
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from factcheck.models import Appearance, Claim, Publisher, Verdict
from factcheck.models.claims import CONTEST_REASONS
from factcheck.models.sources import Article, Claimant, Outlet

# Aliased so that filters on Claimant (an EXISTS on claimants) are not correlated with it.
_CLAIMANT = aliased(Claimant, name="claim_claimant")
_APPEARANCE_CLAIMANT = aliased(Claimant, name="appearance_claimant")


def claim_rows() -> Select:
    """The columns a claim document shows; filter, order and limit it like select(Claim)."""
    return _CLAIM_ROWS


_CLAIM_ROWS = select(
        Claim.id, Claim.text, Claim.language, Claim.created_at, Claim.group_id, Claim.status,
        Claim.consensus_category, Claim.consensus_score, Claim.verdicts_disagree,
        Claim.sources_disagree, Claim.contest_score,
        _CLAIMANT.id.label("claimant_id"), _CLAIMANT.name.label("claimant_name"),
    ).outerjoin(_CLAIMANT, _CLAIMANT.id == Claim.claimant_id)
# Built once: a statement's cache key is computed once per object, not per request.
_CLAIMS_BY_ID = _CLAIM_ROWS.where(Claim.id.in_(bindparam("ids", expanding=True)))


_APPEARANCES = (
    select(Appearance.claim_id, Appearance.id, Article.url, Outlet.name.label("outlet_name"), Outlet.domain,
           Article.title, Article.published_at, Appearance.quote,
           _APPEARANCE_CLAIMANT.id.label("claimant_id"), _APPEARANCE_CLAIMANT.name.label("claimant_name"),
           Appearance.stance, Appearance.created_at)
    .join(Article, Article.id == Appearance.article_id)
    .join(Outlet, Outlet.id == Article.outlet_id)
    .outerjoin(_APPEARANCE_CLAIMANT, _APPEARANCE_CLAIMANT.id == Appearance.claimant_id)
    .where(Appearance.claim_id.in_(bindparam("ids", expanding=True)))
    .order_by(Appearance.id)
)

# The status is filtered in Python, not in SQL: with `status = 'published'` in the WHERE,
# SQLite (no statistics) walks ix_verdicts_status, i.e. every published verdict in the
# database (70 ms a page at 40k verdicts). Without it both engines go group -> member
# claims -> their verdicts; drafts and withdrawn verdicts are few.
_GROUP_VERDICTS = (
    select(Claim.group_id, Verdict.id, Verdict.claim_id, Verdict.status, Verdict.organisation_id,
           Verdict.superseded_by_id, Verdict.version, Publisher.name.label("publisher_name"),
           Publisher.site.label("publisher_site"), Verdict.rating, Verdict.rating_value,
           Verdict.best_rating, Verdict.worst_rating, Verdict.score, Verdict.category,
           Verdict.explanation, Verdict.url, Verdict.review_date, Verdict.created_at, Verdict.updated_at)
    .join(Verdict, Verdict.claim_id == Claim.id)
    .join(Publisher, Publisher.id == Verdict.publisher_id)
    .where(Claim.group_id.in_(bindparam("groups", expanding=True)))
    .order_by(Verdict.id)
)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _name(claimant_id: int | None, name: str | None) -> dict | None:
    return None if claimant_id is None else {"id": claimant_id, "name": name}


def _appearance(row: Row) -> dict:
    return {
        "id": row.id, "url": row.url, "outlet": {"name": row.outlet_name, "domain": row.domain},
        "title": row.title, "published_at": _iso(row.published_at), "quote": row.quote,
        "claimant": _name(row.claimant_id, row.claimant_name), "stance": row.stance,
        "created_at": _iso(row.created_at),
    }


def _verdict(row: Row) -> dict:
    return {
        "id": row.id, "claim_id": row.claim_id, "status": row.status, "organisation_id": row.organisation_id,
        "superseded_by_id": row.superseded_by_id, "version": row.version,
        "publisher": {"name": row.publisher_name, "site": row.publisher_site},
        "rating": row.rating, "rating_value": row.rating_value, "best_rating": row.best_rating,
        "worst_rating": row.worst_rating, "score": row.score, "category": row.category,
        "explanation": row.explanation, "url": row.url, "review_date": _iso(row.review_date),
        "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at),
    }


def _claim(row: Row, appearances: list[dict], verdicts: list[dict]) -> dict:
    consensus = (None if row.consensus_category is None
                 else {"category": row.consensus_category, "score": row.consensus_score})
    return {
        "id": row.id, "text": row.text, "language": row.language,
        "claimant": _name(row.claimant_id, row.claimant_name), "created_at": _iso(row.created_at),
        "status": row.status, "consensus": consensus,
        "contested_because": [reason for reason in CONTEST_REASONS if getattr(row, reason)],
        "contest_score": row.contest_score, "appearances": appearances, "group_id": row.group_id,
        "verdicts": verdicts,
    }


def documents(session: Session, rows: Sequence[Row]) -> list[dict]:
    """The documents of claims selected with claim_rows(), in the rows' order: two more
    statements, whatever the number of claims, appearances and verdicts."""
    if not rows:
        return []
    # Core statements on the session's connection: no ORM objects to build.
    connection = session.connection()
    appearances: dict[int, list[dict]] = defaultdict(list)
    for row in connection.execute(_APPEARANCES, {"ids": [r.id for r in rows]}):
        appearances[row.claim_id].append(_appearance(row))
    verdicts: dict[int, list[dict]] = defaultdict(list)
    for row in connection.execute(_GROUP_VERDICTS, {"groups": list({r.group_id for r in rows})}):
        if row.status == "published":
            verdicts[row.group_id].append(_verdict(row))
    return [_claim(row, appearances.get(row.id, []), verdicts.get(row.group_id, [])) for row in rows]


def rows_by_id(session: Session, claim_ids: Iterable[int]) -> dict[int, Row]:
    """claim_rows() of these claims by id (a missing claim is absent)."""
    rows = session.connection().execute(_CLAIMS_BY_ID, {"ids": list(set(claim_ids))})
    return {row.id: row for row in rows}


def documents_by_id(session: Session, claim_ids: Iterable[int]) -> dict[int, dict]:
    """The documents of these claims by id (a missing claim is absent)."""
    rows = list(rows_by_id(session, claim_ids).values())
    return {document["id"]: document for document in documents(session, rows)}
