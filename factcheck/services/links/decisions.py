"""Use cases for near-duplicate links: found on every new claim, decided by fact-checkers."""
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import Row, insert, or_, select, update
from sqlalchemy.orm import Session

from factcheck.errors import NotFound, check_version, flush_version
from factcheck.matching import LinkCandidate, Matcher, Thresholds
from factcheck.matching.decision import SCORER_PREFIX
from factcheck.models import Claim, ClaimLink
from factcheck.models.links import ENGINE
from factcheck.models.types import utcnow
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import Actor
from factcheck.services.claims import demand
from factcheck.services.claims.documents import documents, rows_by_id
from factcheck.services.links import documents as link_documents
from factcheck.services.links import union_find
from factcheck.services.links.calibration import current_decision
from factcheck.services.links.dense import dense_index, store_vectors
from factcheck.services.links.groups import (
    join_linked,
    lock_groups,
    merge_groups,
    refresh_groups,
    split_group,
)
from factcheck.services.links.match_index import SqlClaimIndex
from factcheck.services.webhooks.outbox import enqueue_events
from factcheck.settings import current as settings
from factcheck.storage.pages import Page
from factcheck.storage.paging import Key, keyset_page
from factcheck.storage.uow import read_connection, read_only, transaction

# A new wording links to at most this many members of a group, its best ones: a store
# whose statements have many wordings would otherwise link (and ask a reviewer about)
# every earlier copy.
LINKS_PER_GROUP = 3


def thresholds() -> Thresholds:
    return settings().thresholds


def thresholds_of(scorer: str) -> Thresholds:
    """The thresholds a link of this scorer was held to: the link decision's for its links
    (the current decision's), MATCH_*_THRESHOLD for the words' scorer."""
    if scorer.startswith(SCORER_PREFIX):
        decision = current_decision()
        return Thresholds(suggest=decision.suggest, auto=decision.auto)
    return thresholds()


def matcher(index: SqlClaimIndex, linking: bool = False) -> Matcher:
    """The matcher over the index's session, with the dense stage when it is on. `linking`:
    for finding a claim's links, which sees every vector committed (services.links.embeddings) and
    scores by the link decision; a match needs neither."""
    configured = settings()
    dense = dense_index(index.session, linking)
    if dense is None or not linking:
        return Matcher(index, configured.thresholds, configured.matcher, dense=dense)
    # Links are scored by the fitted decision, on its own thresholds (100 x probability), when
    # its cosines come from the model in use; otherwise by the words, on MATCH_*_THRESHOLD.
    decision = current_decision()
    if decision.encoder != dense.stage.model:
        return Matcher(index, configured.thresholds, configured.matcher, dense=dense)
    decided = Thresholds(suggest=decision.suggest, auto=decision.auto)
    return Matcher(index, decided, configured.matcher, dense=dense,
                   decision=decision)


class Linked(NamedTuple):
    groups: set[int]  # groups whose membership changed
    links: int  # links stored


def link_and_index(session, claims: list[Claim]) -> Linked:
    """Index new (flushed) claims, then link each to the claims indexed before it.

    A batch is linked as if its claims had arrived one by one in id order: each links to
    the claims indexed before the batch, whatever their ids (on PostgreSQL, ids are not
    committed in their order), and to the batch's lower ids, so every pair is seen once;
    to a group's best LINKS_PER_GROUP members only, not to each of its wordings. The
    caller holds the linker's lock (services.links.linker), so no other batch is indexed meanwhile.
    """
    claims = sorted(claims, key=lambda claim: claim.id)
    # Each new claim starts as a group of its own (the session's copies follow the UPDATE);
    # a bulk import inserts them so.
    if alone := [claim.id for claim in claims if claim.group_id != claim.id]:
        session.execute(update(Claim).where(Claim.id.in_(alone)).values(group_id=Claim.id))
    index = SqlClaimIndex(session)
    index.add(claims)
    engine = matcher(index, linking=True)
    store_vectors(session, engine.dense, claims)
    asked: set[int] = set()  # stored claims a new wording joined: one ask each per batch
    confirmed_pairs: list[tuple[int, int]] = []
    ids = [claim.id for claim in claims]
    found = engine.link_candidates_many([(claim.text, None) for claim in claims],
                                        exclude=[frozenset(ids[i:]) for i in range(len(ids))])
    found = _best_of_groups(index, claims, found)
    rows, now = [], utcnow()
    for claim, candidates in zip(claims, found):
        confirmed = set()
        for candidate in candidates:
            decided = candidate.status == "confirmed"
            low, high = sorted((candidate.claim_id, claim.id))
            rows.append({"claim_id": low, "other_id": high, "score": round(candidate.score, 2),
                         "scorer": candidate.scorer, "status": candidate.status, "created_at": now, "version": 1,
                         "decided_by": ENGINE if decided else None, "decided_at": now if decided else None})
            if decided:
                confirmed.add(candidate.claim_id)
        asked |= confirmed
        confirmed_pairs += [(claim.id, other) for other in confirmed]
    if rows:  # one statement for the batch's links (none of them is read back as an object)
        session.execute(insert(ClaimLink.__table__), rows)
    # Stored claims are written only once join_linked has locked their groups in id order:
    # holding one member while waiting for another deadlocks with the group's other writers.
    # (The batch's own claims, each alone in its group until now, are no other writer's.)
    groups = join_linked(session, confirmed_pairs)
    demand.count_asked(session, asked - {claim.id for claim in claims})
    return Linked(groups, len(rows))


def _best_of_groups(index: SqlClaimIndex, claims: list[Claim],
                    found: list[list[LinkCandidate]]) -> list[list[LinkCandidate]]:
    """Each new claim's candidates (best first), at most LINKS_PER_GROUP of one group, the
    groups as the batch's earlier claims' confirmed links leave them: one confirmed link is
    enough to join a group, and its other wordings add nothing to review."""
    ids = {candidate.claim_id for candidates in found for candidate in candidates}
    if not ids:
        return found
    group_of = index.groups(ids)  # read with the candidates' texts
    joined: dict[int, int] = {}  # the batch's confirmed joins so far
    kept = []
    for claim, candidates in zip(claims, found):
        taken: Counter[int] = Counter()
        kept.append([])
        for candidate in candidates:
            group = union_find.root(joined, group_of.get(candidate.claim_id, candidate.claim_id))
            if taken[group] < LINKS_PER_GROUP:
                taken[group] += 1
                kept[-1].append(candidate)
                if candidate.status == "confirmed":
                    union_find.union(joined, claim.id, group)
    return kept


@read_only
def get_link(link_id: int) -> dict:
    """The link's document (services.links.documents)."""
    document = link_documents.documents_by_id(read_connection(), [link_id]).get(link_id)
    if document is None:
        raise NotFound(f"No link has id {link_id}.")
    return document


@read_only
def links_of(claim_id: int, args: dict) -> Page[dict]:
    """Link documents, most similar first; the cursor is the last (score, id) shown."""
    connection = read_connection()
    if connection.scalar(select(Claim.id).where(Claim.id == claim_id)) is None:
        raise NotFound(f"No claim has id {claim_id}.")
    query = link_documents.link_rows().where(or_(ClaimLink.claim_id == claim_id, ClaimLink.other_id == claim_id))
    keys = [Key(ClaimLink.score, float), Key(ClaimLink.id, int, descending=False)]
    page = keyset_page(query, keys, args, lambda statement: connection.execute(statement).all())
    return Page([link_documents.document(row) for row in page.items], page.next_cursor)


class Answer(NamedTuple):
    items: list[dict]  # {"score", "claim"}, best first
    asked_about: int | None  # the first claim, when the text strongly matched it (services.claims.demand)


def check(text: str, limit: int) -> list[dict]:
    """match, counting the ask for the claim it found first when the match is strong."""
    return check_many([text], limit)[0]


def check_many(texts: Sequence[str], limit: int) -> list[list[dict]]:
    """check for each text, matched together (match_many)."""
    answers = _answers(texts, limit)
    for answer in answers:
        demand.asked_about(answer.asked_about)
    return [answer.items for answer in answers]


def match(text: str, limit: int) -> list[dict]:
    """The best stored claim of each group for `text`, best first, with its claim document."""
    return match_many([text], limit)[0]


def match_many(texts: Sequence[str], limit: int) -> list[list[dict]]:
    """match for each text: one batch through the dense stage (an article's candidates)."""
    return [answer.items for answer in _answers(texts, limit)]


@read_only
def _answers(texts: Sequence[str], limit: int) -> list[Answer]:
    with Session(read_connection()) as session:  # the index reads through a session
        found_lists = matcher(SqlClaimIndex(session)).match_many(texts, limit * 3)
    rows = rows_by_id({m.claim_id for found in found_lists for m in found})
    chosen_lists = []
    for found in found_lists:
        best: dict[int, tuple[float, Row]] = {}
        for m in found:
            row = rows.get(m.claim_id)
            if row is not None and row.group_id not in best:
                best[row.group_id] = (m.score, row)
        chosen_lists.append(list(best.values())[:limit])
    claims = iter(documents([row for chosen in chosen_lists for _, row in chosen]))
    answers = []
    for found, chosen in zip(found_lists, chosen_lists):
        strong = demand.strongly_matched(found, settings().demand_match_similarity)
        answers.append(Answer([{"score": round(score, 4), "claim": next(claims)} for score, _ in chosen],
                              strong if strong in rows else None))
    return answers


def decide_link(link_id: int, status: str, actor: Actor, expected_version: int | None) -> ClaimLink:
    """Confirm (joining the two groups) or reject (splitting them if they were joined)."""
    with transaction() as session:
        link = session.get(ClaimLink, link_id)
        if link is None:
            raise NotFound(f"No link has id {link_id}.")
        check_version("link", link.version, expected_version)
        # Lock both claims' groups first (in id order), as every writer of a group does.
        members = lock_groups(session, (link.claim_id, link.other_id))
        pair = [members[link.claim_id], members[link.other_id]]
        before = audit.snapshot(link)
        link.status, link.decided_by, link.decided_at = status, actor.name, utcnow()
        flush_version(session, "link")
        groups = {c.group_id for c in pair}
        if status == "confirmed" and before["status"] != "confirmed":
            demand.count_asked(session, [link.claim_id])  # the later wording asked about the earlier
        if status == "confirmed" and len(groups) > 1:
            refresh_groups(session, [merge_groups(session, groups)])
        elif status != "confirmed" and before["status"] == "confirmed":
            refresh_groups(session, split_group(session, groups.pop()))
        audit.record(session, actor, f"link.{status}", link, before=before, claim_id=link.other_id)
        enqueue_events(session)  # merging or splitting groups can make one contested
    return link
