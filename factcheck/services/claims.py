"""Use cases for claims and their appearances."""
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import joinedload, selectinload

from factcheck.errors import NotFound
from factcheck.extensions import db
from factcheck.models import Appearance, Article, Claim, Claimant, Outlet
from factcheck.pagination import Page, decode_cursor, page_of
from factcheck.services import audit
from factcheck.services.actors import SYSTEM, Actor
from factcheck.services.groups import lock_groups, refresh_groups, summarise_new, with_group_verdicts
from factcheck.services.links import link_and_index
from factcheck.services.paging import newest_first
from factcheck.services.sources import article_for, claimant_for, name_key, prefetch_claimants
from factcheck.services.uow import transaction
from factcheck.services.webhooks import enqueue_events

# What a claim's representation shows, loaded in a fixed number of queries per page
# (the group's verdicts come from with_group_verdicts).
_WITH_EVIDENCE = (selectinload(Claim.appearances),)


def build_appearance(session, data: dict) -> Appearance:
    return Appearance(
        article=article_for(session, data),
        claimant=claimant_for(session, data.get("claimant")),
        quote=data.get("quote"),
        stance=data.get("stance", "reports"),
    )


def new_claim(session, data: dict) -> Claim:
    """A claim built from validated input, its sources found or created; not yet linked."""
    claim = Claim(
        text=data["text"].strip(),
        language=data.get("language", "en"),
        claimant=claimant_for(session, data.get("claimant")),
    )
    claim.appearances = [build_appearance(session, a) for a in data.get("appearances", ())]
    claim.verdicts = []
    return claim


def store_claims(session, items: list[dict]) -> list[Claim]:
    """Store new claims, link each to its near-duplicates, and summarise the groups touched."""
    prefetch_claimants(session, [data["claimant"]["name"] for data in items if data.get("claimant")])
    claims = [new_claim(session, data) for data in items]
    session.add_all(claims)
    session.flush()
    touched = link_and_index(session, claims)
    summarise_new([claim for claim in claims if claim.group_id not in touched])
    refresh_groups(session, touched)
    return claims


def create_claim(data: dict, actor: Actor = SYSTEM) -> Claim:
    with transaction() as session:
        (claim,) = store_claims(session, [data])
        audit.record(session, actor, "claim.created", claim, claim_id=claim.id)
        enqueue_events(session)  # a confirmed link can make a group contested
    return with_group_verdicts(session, [claim])[0]


def locked_claim(session, claim_id: int) -> Claim:
    """The claim, its whole group locked: concurrent writers then recompute the group's
    summary one after the other."""
    claim = lock_groups(session, [claim_id]).get(claim_id)
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    return claim


def add_appearance(claim_id: int, data: dict, actor: Actor = SYSTEM) -> Appearance:
    with transaction() as session:
        claim = locked_claim(session, claim_id)
        appearance = build_appearance(session, data)
        appearance.claim_id = claim.id
        session.add(appearance)
        refresh_groups(session, [claim.group_id])
        audit.record(session, actor, "appearance.added", appearance, claim_id=claim.id)
        enqueue_events(session)
    return appearance


# One claim: its appearances joined in the same statement (one round trip fewer than a
# selectin load, ~15% of the request's time on SQLite); built once, as the hottest read.
_CLAIM_BY_ID = select(Claim).where(Claim.id == bindparam("claim_id")).options(joinedload(Claim.appearances))


def get_claim(claim_id: int) -> Claim:
    claim = db.session.scalars(_CLAIM_BY_ID, {"claim_id": claim_id}).unique().one_or_none()
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    return with_group_verdicts(db.session, [claim])[0]


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
    page = newest_first(_filtered(select(Claim), args).options(*_WITH_EVIDENCE), Claim.id, args)
    with_group_verdicts(db.session, page.items)
    return page


def list_contested(args: dict) -> Page[Claim]:
    """Most contested first (see summary.summarise for the score), then newest."""
    limit = args["limit"]
    # contest_score is set exactly when a claim is contested; saying so lets the database
    # walk ix_claims_contest_order from its top instead of past every uncontested claim
    # (PostgreSQL sorts NULLs first in a descending scan).
    query = (select(Claim).where(Claim.status == "contested", Claim.contest_score.is_not(None))
             .options(*_WITH_EVIDENCE))
    if cursor := args.get("cursor"):
        score, last_id = decode_cursor(cursor, (float, int))
        query = query.where(or_(Claim.contest_score < score,
                                and_(Claim.contest_score == score, Claim.id < last_id)))
    query = query.order_by(Claim.contest_score.desc(), Claim.id.desc()).limit(limit + 1)
    rows = list(db.session.scalars(query))
    page = page_of(rows, limit, lambda c: [c.contest_score, c.id])
    with_group_verdicts(db.session, page.items)
    return page
