"""Use cases for claims and their appearances."""
from datetime import datetime

from sqlalchemy import ColumnElement, Select, select

from factcheck.errors import NotFound
from factcheck.identity import normalise_site
from factcheck.language import claim_language
from factcheck.models import Appearance, Article, Claim, Claimant, Outlet
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.services.claims.appearances import appearance_on, build_appearance, distinct_appearances
from factcheck.services.claims.demand import count_asked
from factcheck.services.claims.documents import claim_rows, documents, documents_by_id
from factcheck.services.claims.edits import absent
from factcheck.services.claims.sources import claimant_for, name_key, prefetch_claimants
from factcheck.services.claims.texts import lock_texts, same_text
from factcheck.services.claims.word_search import best_first, holding_words
from factcheck.services.links import linker as linking
from factcheck.services.links.groups import lock_groups, refresh_groups, summarise_new
from factcheck.services.links.match_index import terms_of
from factcheck.services.webhooks.outbox import enqueue_events
from factcheck.storage.pages import Page
from factcheck.storage.paging import Key, keyset_page, most_asked, newest_first, on_connection
from factcheck.storage.rows import new_ids
from factcheck.storage.uow import read_connection, read_only, transaction, unit_of_work


def claim_values(session, data: dict) -> dict:
    """A claim's own attributes from validated input, its claimant found or created; without a
    language, the language of its text."""
    text = data["text"].strip()
    language, source = claim_language(data.get("language"), text)
    return {"text": text, "language": language, "language_source": source,
            "claim_date": data.get("claim_date"), "claim_date_as_published": data.get("claim_date_as_published"),
            "claimant": claimant_for(session, data.get("claimant"))}


def new_claim(session, data: dict) -> Claim:
    """A claim built from validated input, its sources found or created; not yet linked (its
    index length known, so that indexing it writes no more to it)."""
    values = claim_values(session, data)
    claim = Claim(**values, n_terms=len(terms_of(values["text"])))
    claim.appearances = [build_appearance(session, a) for a in distinct_appearances(data.get("appearances", ()))]
    claim.verdicts = []
    return claim


def store_claims(session, items: list[dict]) -> list[Claim]:
    """Store new claims, each a group of its own, left for the linker, which indexes them and
    links them to their near-duplicates once this transaction commits (services.links.linker)."""
    prefetch_claimants(session, [data["claimant"]["name"] for data in items if data.get("claimant")])
    claims = [new_claim(session, data) for data in items]
    # Each claim's id taken first, so that it is inserted in its own group and summarised,
    # and not written again once it has an id.
    for claim, claim_id in zip(claims, new_ids(session, Claim, len(claims))):
        claim.id = claim.group_id = claim_id
    summarise_new(claims)
    # A claim its own sources contest becomes contested now: a webhook event (enqueue_events).
    statuses = unit_of_work(session).statuses_before
    statuses.update((claim.id, "unchecked") for claim in claims if claim.status == "contested")
    session.add_all(claims)
    session.flush()
    linking.queue(session, claims)
    return claims


def create_claim(data: dict, actor: Actor = SYSTEM) -> int:
    """The id of the claim with this text, stored now or before (see record_claim)."""
    return record_claim(data, actor)[0]


def record_claim(data: dict, actor: Actor = SYSTEM) -> tuple[int, bool]:
    """Store a claim with its sources: (its id, True). It is readable once this returns, and
    linked by then unless another linker was at work (the background linker then links it).
    A text already stored, linked or not yet, is that claim, given the claimant and
    appearances it lacks: (its id, False)."""
    text = data["text"].strip()
    with transaction() as session:
        lock_texts(session, [text])
        if (stored_id := same_text(session, text)) is not None:
            claim = locked_claim(session, stored_id)
            if complete_claim(session, claim, data, actor):
                refresh_groups(session, [claim.group_id])
                enqueue_events(session)
            return stored_id, False
        (claim,) = store_claims(session, [data])
        audit.record(session, actor, "claim.created", claim, claim_id=claim.id)
        enqueue_events(session)  # its own sources can disagree
        # Read before the commit expires the object (after it, .id would cost a SELECT).
        claim_id = claim.id
    return claim_id, True


def detect_unknown_languages(batch_size: int = 1000) -> int:
    """Detect the language of the claims whose language is not known to have been given (those
    stored before it was recorded); returns how many were updated."""
    done = 0
    while True:
        with transaction() as session:
            claims = session.scalars(select(Claim).where(Claim.language_source == "unknown")
                                     .order_by(Claim.id).limit(batch_size)).all()
            for claim in claims:
                claim.language, claim.language_source = claim_language(None, claim.text)
        done += len(claims)
        if len(claims) < batch_size:
            return done


def locked_claim(session, claim_id: int) -> Claim:
    """The claim, its whole group locked: concurrent writers then recompute the group's
    summary one after the other."""
    claim = lock_groups(session, [claim_id]).get(claim_id)
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    return claim


def complete_claim(session, claim: Claim, data: dict, actor: Actor) -> bool:
    """Add the date, the claimant and the appearances a stored claim lacks (never removes or
    replaces one); True when it lacked any."""
    changed = False
    if claim.claim_date is None and data.get("claim_date"):
        claim.claim_date, claim.claim_date_as_published = data["claim_date"], data.get("claim_date_as_published")
        changed = True
    if claim.claimant is None and data.get("claimant"):
        claim.claimant = claimant_for(session, data["claimant"])
        changed = claim.claimant is not None
    for item in data.get("appearances", ()):
        changed |= appearance_on(session, claim, item, actor)[1]
    return changed


def add_appearance(claim_id: int, data: dict, actor: Actor = SYSTEM) -> tuple[Appearance, bool]:
    """(The appearance, True) once added to the claim; (the one it has, False) when the
    claim has one in that article already."""
    with transaction() as session:
        claim = locked_claim(session, claim_id)
        appearance, added = appearance_on(session, claim, data, actor)
        if added:
            count_asked(session, [claim.id])
            refresh_groups(session, [claim.group_id])
            enqueue_events(session)
    return appearance, added


@read_only
def get_claim(claim_id: int) -> dict:
    """The claim's document (see claim_documents)."""
    document = documents_by_id([claim_id]).get(claim_id)
    if document is None:
        raise absent(read_connection(), claim_id)
    return document


# An outlet's claims are found from its side when it printed at most this many appearances:
# their claim ids, read first, filter the claims. A bigger outlet's are found by testing
# each claim newest first, which soon fills a page. Either way alone was slow at one end:
# testing each claim took 100-250 ms a page at 100k claims for an outlet with few of them,
# and an IN subquery 81 ms on SQLite for the outlet that printed every one of them. On a
# 30k LIAR store, an outlet with few claims went from 24 to 0.7-1.0 ms on SQLite and from
# 45-82 to 6-9 ms on PostgreSQL; the outlet of every claim from 1.2 to 2.1 and 3.6 to 5.2 ms.
OUTLET_IDS_AT_MOST = 1000


def _printed_by(domain: str) -> ColumnElement[bool]:
    """Claims with an appearance in the outlet at `domain`: one statement to choose how."""
    appearances = (select(Appearance.claim_id).join(Article, Article.id == Appearance.article_id)
                   .join(Outlet, Outlet.id == Article.outlet_id).where(Outlet.domain == domain))
    claim_ids = read_connection().execute(appearances.limit(OUTLET_IDS_AT_MOST + 1)).scalars().all()
    if len(claim_ids) <= OUTLET_IDS_AT_MOST:
        return Claim.id.in_(set(claim_ids))
    return Claim.appearances.any(Appearance.article.has(Article.outlet.has(Outlet.domain == domain)))


def _filtered(query: Select, args: dict) -> Select:
    """`query` with the claim list's filters (an outlet's first reads its appearances, see _printed_by)."""
    if status := args.get("status"):
        query = query.where(Claim.status == status)
    if category := args.get("category"):
        query = query.where(Claim.consensus_category == category)
    if claimant := args.get("claimant"):
        # An equality on claims.claimant_id walks its index newest first; as EXISTS tested on
        # each claim, a claimant with few claims cost a scan of the store (37 ms at 100k on SQLite).
        query = query.where(Claim.claimant_id == select(Claimant.id).where(
            Claimant.name_key == name_key(claimant)).scalar_subquery())
    if outlet := args.get("outlet"):
        query = query.where(_printed_by(normalise_site(outlet)))
    since: datetime | None = args.get("since")
    if since:
        query = query.where(Claim.created_at >= since)
    until: datetime | None = args.get("until")
    if until:
        query = query.where(Claim.created_at < until)
    return query


@read_only
def list_claims(args: dict) -> Page[dict]:
    """Claim documents: newest first, most asked about first, or, given words (`q`), best
    ranked first; the cursor is the last key shown."""
    query = _filtered(claim_rows(), args)
    holding = holding_words(q, read_connection()) if (q := args.get("q")) else None
    if holding is not None and not args.get("order"):
        page = best_first(query, holding, args, read_connection())
    else:
        if holding is not None:
            query = query.where(Claim.id.in_(select(holding.c.claim_id)))
        page = (most_asked(query, args, read_connection()) if args.get("order") == "demand"
                else newest_first(query, Claim.id, args, connection=read_connection()))
    return Page(documents(page.items), page.next_cursor)


# contest_score is set exactly when a claim is contested (summary.summarise), so the
# database walks ix_claims_contest_order from its top, past no uncontested claim
# (PostgreSQL sorts NULLs first in a descending scan). Asking for status as well made
# SQLite read every contested claim by ix_claims_status and sort them (8x slower at 300).
_CONTESTED_KEYS = (Key(Claim.contest_score, float), Key(Claim.id, int))


@read_only
def list_contested(args: dict) -> Page[dict]:
    """Most contested first (see summary.summarise for the score), then newest; or most asked about first."""
    contested = claim_rows().where(Claim.contest_score.is_not(None))
    if args.get("order") == "demand":
        page = most_asked(contested, args, read_connection())
    else:
        page = keyset_page(contested, _CONTESTED_KEYS, args, on_connection(read_connection()))
    return Page(documents(page.items), page.next_cursor)
