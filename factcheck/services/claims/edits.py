"""Use cases that correct a claim's wording or remove it (spam, a mistake)."""
from sqlalchemy import Connection, delete, or_, select
from sqlalchemy.orm import Session

from factcheck.errors import Conflict, DomainError, Gone, NotFound, check_version
from factcheck.language import claim_language
from factcheck.matching import LinkCandidate, prepare
from factcheck.models import Claim, ClaimLink, PendingLink
from factcheck.models.claims import text_key
from factcheck.models.types import utcnow
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import Actor
from factcheck.services.claims.sources import claimant_for
from factcheck.services.claims.texts import lock_texts, same_text
from factcheck.services.links.decisions import ENGINE, matcher
from factcheck.services.links.dense import dense_index, store_vectors
from factcheck.services.links.embeddings import drop_vectors, semantic
from factcheck.services.links.groups import lock_groups, merge_groups, refresh_groups, split_group
from factcheck.services.links.linker import hold_linker, link_after_commit
from factcheck.services.links.match_index import SqlClaimIndex
from factcheck.services.webhooks.outbox import enqueue_events
from factcheck.storage.uow import transaction


def stored_claim(session: Session, claim_id: int) -> Claim:
    """The claim, unless it never existed (404) or an editor removed it (410)."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    if claim.removed_at is not None:
        raise Gone(f"Claim {claim_id} was removed: {claim.removed_reason}")
    return claim


def absent(connection: Connection, claim_id: int) -> DomainError:
    """The error for a claim no document shows: Gone when an editor removed it, else NotFound."""
    removed = connection.execute(select(Claim.removed_reason)
                                 .where(Claim.id == claim_id, Claim.removed_at.is_not(None))).first()
    if removed is None:
        return NotFound(f"No claim has id {claim_id}.")
    return Gone(f"Claim {claim_id} was removed: {removed.removed_reason}")


def _checked(session: Session, claim_id: int, expected_version: int | None) -> str:
    """The claim's text, once it is known to be stored at the version read. Read as columns:
    the claim's object is first loaded under the lock (_locked), so that it holds what the
    lock protects, not what a writer we waited for overwrote."""
    row = session.execute(select(Claim.text, Claim.version, Claim.removed_reason, Claim.removed_at)
                          .where(Claim.id == claim_id)).first()
    if row is None:
        raise NotFound(f"No claim has id {claim_id}.")
    if row.removed_at is not None:
        raise Gone(f"Claim {claim_id} was removed: {row.removed_reason}")
    check_version("claim", row.version, expected_version)
    return row.text


def _locked(session: Session, claim_id: int, others: set[int], expected_version: int | None) -> Claim:
    """The claim with its group and the groups of `others` locked, at the version read."""
    claim = lock_groups(session, {claim_id} | others).get(claim_id)
    if claim is None:  # removed while we waited for its group
        raise Gone(f"Claim {claim_id} was removed.")
    check_version("claim", claim.version, expected_version)
    return claim


def edit_claim(claim_id: int, changes: dict, actor: Actor, expected_version: int | None) -> int:
    """Correct a claim's text, claimant or language; a new text is indexed and linked again."""
    if "text" in changes and (stage := semantic()):
        stage.encode([changes["text"].strip()])  # before the write lock is taken
    with transaction() as session:
        stored = _checked(session, claim_id, expected_version)
        text = changes.get("text", stored).strip()
        retext = text != stored
        if retext:
            hold_linker(session)  # first: no linker is then midway through linking the old text
            _text_is_free(session, claim_id, text)
        # A claim still waiting for the linker is linked with its new text once this commits.
        relink = retext and session.get(PendingLink, claim_id) is None
        if retext and not relink:
            link_after_commit(session, [claim_id])
        # Found before any lock, so that every group is then locked at once, in id order.
        candidates = _candidates(session, claim_id, text) if relink else []
        claim = _locked(session, claim_id, {c.claim_id for c in candidates}, expected_version)
        before = audit.snapshot(claim)
        if "claimant" in changes:
            claim.claimant = claimant_for(session, changes["claimant"])
        if retext:
            claim.text, claim.text_key, claim.link_text = text, text_key(text), prepare(text)
        if relink:
            index = SqlClaimIndex(session)
            index.remove(claim)
            index.add([claim])
            store_vectors(session, dense_index(session, linking=True), [claim])
        if "language" in changes or (retext and claim.language_source == "detected"):
            claim.language, claim.language_source = claim_language(changes.get("language"), text)
        claim.version += 1
        if relink:
            refresh_groups(session, _relink(session, claim, candidates))
        audit.record(session, actor, "claim.edited", claim, before=before, claim_id=claim.id)
        enqueue_events(session)
    return claim_id


def _text_is_free(session: Session, claim_id: int, text: str) -> None:
    """One text, one claim: a correction may not give a claim another's text. The text's lock
    (taken before any row lock, as record_claim does) keeps a new claim from taking it meanwhile."""
    lock_texts(session, [text])
    if (other := same_text(session, text)) is not None and other != claim_id:
        raise Conflict(f"Claim {other} has this text already: link the two claims, or remove one.",
                       errors={"text": [f"The text of claim {other}."]})


def _candidates(session: Session, claim_id: int, text: str) -> list[LinkCandidate]:
    """The claims the new text would link to, of any id (the claim itself left out)."""
    (found,) = matcher(SqlClaimIndex(session), linking=True).link_candidates_many([(text, None)])
    return [candidate for candidate in found if candidate.claim_id != claim_id]


def _relink(session: Session, claim: Claim, candidates: list[LinkCandidate]) -> set[int]:
    """Drop the claim's links that its new text no longer earns, rescore those it keeps, add
    the new ones (an automatic one joins the groups); returns the groups to summarise."""
    found = {candidate.claim_id: candidate for candidate in candidates}
    group = claim.group_id
    split = False
    for link in session.scalars(select(ClaimLink).where(
            or_(ClaimLink.claim_id == claim.id, ClaimLink.other_id == claim.id))):
        other = link.other_id if link.claim_id == claim.id else link.claim_id
        candidate = found.pop(other, None)
        if candidate is None:
            split = split or link.status == "confirmed"
            session.delete(link)
        else:
            link.score = round(candidate.score, 2)
    session.flush()
    touched = set(split_group(session, group)) if split else {group}
    confirmed = set()
    for other, candidate in found.items():
        decided = candidate.status == "confirmed"
        session.add(ClaimLink(
            claim_id=min(other, claim.id), other_id=max(other, claim.id), score=round(candidate.score, 2),
            scorer=candidate.scorer, status=candidate.status,
            decided_by=ENGINE if decided else None, decided_at=utcnow() if decided else None))
        if decided:
            confirmed.add(other)
    session.flush()
    if confirmed:
        ids = confirmed | {claim.id}
        groups = set(session.scalars(select(Claim.group_id).where(Claim.id.in_(ids))))
        touched = (touched - groups) | {merge_groups(session, groups)}
    return touched


def remove_claim(claim_id: int, reason: str, actor: Actor, expected_version: int | None) -> None:
    """Remove a claim: out of every list, search, feed and export; its links dropped and its
    group summarised again without it; the row kept for the audit trail."""
    with transaction() as session:
        _checked(session, claim_id, expected_version)
        hold_linker(session)  # first: no linker is then midway through linking the claim
        claim = _locked(session, claim_id, set(), expected_version)
        before = audit.snapshot(claim)
        group = claim.group_id
        session.execute(delete(ClaimLink).where(
            or_(ClaimLink.claim_id == claim.id, ClaimLink.other_id == claim.id)))
        if pending := session.get(PendingLink, claim_id):
            session.delete(pending)  # never indexed: nothing to take out of the index
        else:
            SqlClaimIndex(session).remove(claim)
        drop_vectors(session, claim.id)
        claim.removed_at, claim.removed_reason = utcnow(), reason.strip()
        claim.group_id, claim.contest_score = None, None
        claim.version += 1
        session.flush()
        refresh_groups(session, split_group(session, group))
        audit.record(session, actor, "claim.removed", claim, before=before, claim_id=claim.id)
        enqueue_events(session)
