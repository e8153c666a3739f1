"""Use cases for claims and their appearances."""
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from factcheck.errors import NotFound
from factcheck.extensions import db
from factcheck.models import Appearance, Article, Claim, Claimant, Outlet
from factcheck.pagination import Page, decode_cursor, page_of
from factcheck.services.sources import article_for, claimant_for, name_key
from factcheck.services.summary import refresh_summary
from factcheck.services.uow import transaction

# What a claim's representation shows, loaded in a fixed number of queries per page.
_WITH_EVIDENCE = (selectinload(Claim.appearances), selectinload(Claim.verdicts))


def _appearance(session, data: dict) -> Appearance:
    return Appearance(
        article=article_for(session, data),
        claimant=claimant_for(session, data.get("claimant")),
        quote=data.get("quote"),
        stance=data.get("stance", "reports"),
    )


def create_claim(data: dict) -> Claim:
    with transaction() as session:
        claim = Claim(
            text=data["text"].strip(),
            language=data.get("language", "en"),
            claimant=claimant_for(session, data.get("claimant")),
        )
        claim.appearances = [_appearance(session, a) for a in data.get("appearances", ())]
        claim.verdicts = []
        session.add(claim)
        session.flush()
        refresh_summary(claim)
    return claim


def _locked_claim(session, claim_id: int) -> Claim:
    """Lock the claim so concurrent writers recompute its summary one after the other."""
    claim = session.scalars(
        select(Claim).where(Claim.id == claim_id).options(*_WITH_EVIDENCE).with_for_update(of=Claim)
    ).first()
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    return claim


def add_appearance(claim_id: int, data: dict) -> Appearance:
    with transaction() as session:
        claim = _locked_claim(session, claim_id)
        appearance = _appearance(session, data)
        claim.appearances.append(appearance)
        session.flush()
        refresh_summary(claim)
    return appearance


def get_claim(claim_id: int) -> Claim:
    claim = db.session.scalars(select(Claim).where(Claim.id == claim_id).options(*_WITH_EVIDENCE)).first()
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    return claim


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: Select, args: dict) -> Select:
    if q := args.get("q"):
        query = query.where(Claim.text.ilike(f"%{_escape_like(q)}%", escape="\\"))
    if status := args.get("status"):
        query = query.where(Claim.status == status)
    if category := args.get("category"):
        query = query.where(Claim.consensus_category == category)
    if claimant := args.get("claimant"):
        query = query.where(Claim.claimant.has(Claimant.name_key == name_key(claimant)))
    if outlet := args.get("outlet"):
        domain = outlet.lower().removeprefix("www.")
        query = query.where(Claim.appearances.any(
            Appearance.article.has(Article.outlet.has(Outlet.domain == domain))))
    since: datetime | None = args.get("since")
    if since:
        query = query.where(Claim.created_at >= since)
    until: datetime | None = args.get("until")
    if until:
        query = query.where(Claim.created_at < until)
    return query


def list_claims(args: dict) -> Page[Claim]:
    """Newest first; the cursor is the last id shown."""
    limit = args["limit"]
    query = _filtered(select(Claim), args).options(*_WITH_EVIDENCE)
    if cursor := args.get("cursor"):
        (last_id,) = decode_cursor(cursor, (int,))
        query = query.where(Claim.id < last_id)
    rows = list(db.session.scalars(query.order_by(Claim.id.desc()).limit(limit + 1)))
    return page_of(rows, limit, lambda c: [c.id])


def list_contested(args: dict) -> Page[Claim]:
    """Most contested first (see summary.summarise for the score), then newest."""
    limit = args["limit"]
    query = select(Claim).where(Claim.status == "contested").options(*_WITH_EVIDENCE)
    if cursor := args.get("cursor"):
        score, last_id = decode_cursor(cursor, (float, int))
        query = query.where(or_(Claim.contest_score < score,
                                and_(Claim.contest_score == score, Claim.id < last_id)))
    query = query.order_by(Claim.contest_score.desc(), Claim.id.desc()).limit(limit + 1)
    rows = list(db.session.scalars(query))
    return page_of(rows, limit, lambda c: [c.contest_score, c.id])
