"""Groups of claims joined by confirmed links, and the summary each group shares."""
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.errors import Conflict
from factcheck.models import Claim, ClaimLink
from factcheck.services.links import union_find
from factcheck.services.verdicts.summary import summarise

# Tries to lock groups while concurrent link decisions keep reshaping them.
LOCK_ATTEMPTS = 5


def lock_groups(session: Session, claim_ids: Collection[int]) -> dict[int, Claim]:
    """Lock every member of these claims' groups, in id order as every writer of a group
    does (so writers cannot deadlock); returns the members by id (a missing claim is absent).

    The rows are locked FOR NO KEY UPDATE, the lock PostgreSQL's own UPDATE of a non-key
    column takes: writers of a group still wait for each other, but a row that refers to a
    member (a new claim's link, a verdict) takes KEY SHARE for its foreign key, in no
    particular order, and that lock neither waits for them nor blocks them. With FOR UPDATE
    a verdict and a new claim's links deadlocked under gunicorn.

    A link decided while we waited for the rows may have merged or split a group: PostgreSQL
    then skips rows that left it and never sees rows that joined. So look again until the
    locked rows are the groups' whole membership; no one can change that before we commit.
    Each look is a savepoint, rolled back when it falls short: locking again while holding
    the rows of the last look would take them out of id order.
    """
    wanted = set(claim_ids)
    for _ in range(LOCK_ATTEMPTS):
        attempt = session.begin_nested()
        found = dict(session.execute(select(Claim.id, Claim.group_id).where(Claim.id.in_(wanted))).all())
        groups = set(found.values())
        locked = {claim.id: claim for claim in session.scalars(
            select(Claim).where(Claim.group_id.in_(groups)).order_by(Claim.id)
            .with_for_update(of=Claim, key_share=True))}
        members = set(session.scalars(select(Claim.id).where(Claim.group_id.in_(groups))))
        if members == locked.keys() and found.keys() <= locked.keys():
            attempt.commit()
            return locked
        attempt.rollback()
    raise Conflict("The claim's group kept changing while this write waited for it; retry.")


def refresh_groups(session: Session, group_ids: Collection[int]) -> None:
    """Recompute the shared summary of each group from all its members' evidence."""
    if not group_ids:
        return
    session.flush()
    members = session.scalars(
        select(Claim).where(Claim.group_id.in_(set(group_ids)))
        .options(selectinload(Claim.appearances), selectinload(Claim.verdicts))
        # Collections loaded earlier in this transaction miss what was just added.
        .execution_options(populate_existing=True)
    ).all()
    by_group: dict[int, list[Claim]] = defaultdict(list)
    for claim in members:
        by_group[claim.group_id].append(claim)
    for claims in by_group.values():
        apply_summary(claims, summarise([v for c in claims for v in c.verdicts],
                                 [a for c in claims for a in c.appearances]))


def summarise_new(claims: Collection[Claim]) -> None:
    """Summaries of new claims that joined no group: their own appearances are all there is."""
    for claim in claims:
        apply_summary([claim], summarise([], claim.appearances))


def apply_summary(claims: Collection[Claim], summary) -> None:
    for claim in claims:
        for field, value in vars(summary).items():
            setattr(claim, field, value)


def merge_groups(session: Session, group_ids: Collection[int]) -> int:
    """Join groups into one, named by the lowest id; returns that id."""
    target = min(group_ids)
    session.execute(update(Claim).where(Claim.group_id.in_(set(group_ids))).values(group_id=target),
                    execution_options={"synchronize_session": "fetch"})
    return target


def join_linked(session: Session, pairs: Collection[tuple[int, int]]) -> set[int]:
    """Join the groups of each pair of claims (a batch's confirmed links), every group
    locked at once and moved in one statement; returns the groups the pairs' claims are in now."""
    if not pairs:
        return set()
    members = lock_groups(session, {claim_id for pair in pairs for claim_id in pair})
    parent: dict[int, int] = {}
    for a, b in pairs:
        if a in members and b in members:
            union_find.union(parent, members[a].group_id, members[b].group_id)
    target = {group: union_find.root(parent, group) for group in parent}
    if moved := [{"old": group, "new": name} for group, name in target.items() if group != name]:
        claims = Claim.__table__
        session.execute(update(claims).where(claims.c.group_id == bindparam("old")).values(group_id=bindparam("new")),
                        moved)
        for claim in members.values():  # the session's copies follow, as merge_groups' do
            if claim.group_id in target:
                set_committed_value(claim, "group_id", target[claim.group_id])
    return set(target.values())


def split_group(session: Session, group_id: int) -> list[int]:
    """Re-derive a group's components after a confirmed link was rejected; returns them."""
    member_ids = list(session.scalars(select(Claim.id).where(Claim.group_id == group_id)))
    edges = session.execute(
        select(ClaimLink.claim_id, ClaimLink.other_id).where(
            ClaimLink.status == "confirmed",
            or_(ClaimLink.claim_id.in_(member_ids), ClaimLink.other_id.in_(member_ids)),
        )
    ).all()
    parent = {claim_id: claim_id for claim_id in member_ids}
    for a, b in edges:
        if a in parent and b in parent:
            union_find.union(parent, a, b)
    components: dict[int, list[int]] = defaultdict(list)
    for claim_id in member_ids:
        components[union_find.root(parent, claim_id)].append(claim_id)
    for name, ids in components.items():
        session.execute(update(Claim).where(Claim.id.in_(ids)).values(group_id=name),
                        execution_options={"synchronize_session": "fetch"})
    return list(components)
