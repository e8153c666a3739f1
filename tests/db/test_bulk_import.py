"""Bulk import stores, links, summarises, audits and announces what one record at a time would."""
from collections import Counter

import pytest
from sqlalchemy import select

from factcheck import settings
from factcheck.extensions import db
from factcheck.models import (
    Appearance,
    Article,
    AuditEntry,
    Claim,
    ClaimLink,
    ClaimTerm,
    MatchTerm,
    Publisher,
    Verdict,
    WebhookDelivery,
)
from factcheck.services.accounts.actors import SYSTEM
from factcheck.services.claims import records as claims
from factcheck.services.exchange import bulk
from factcheck.services.webhooks import outbox as webhooks
from tests.api.helpers import WORDINGS
from tests.conftest import empty_tables

DESK = {"name": "Desk", "site": "desk.example.org"}
CHECKS = {"name": "Checks", "site": "checks.example.org"}

# Eight words or more, at most eight index terms each (the linker then asks for all of
# them, whatever their document frequencies when it asks).
MAYOR = "The mayor said that crime in Chicago has doubled since 2015."
MAYOR_AGAIN = "The mayor said crime in Chicago had doubled since 2015."
POLICE = "The police say crime in Chicago has not doubled since 2015."
OHIO = "Unemployment in Ohio fell to 4 percent last year."
OHIO_FIVE = "Unemployment in Ohio fell to 5 percent last year."
OHIO_WORDS = "Ohio unemployment fell to four percent in the last year."
BRIDGE = "The new bridge over the river cost 2 billion dollars."

RECORDS = [
    {"text": MAYOR, "claimant": {"name": "Jane Doe"}, "appearances": [
        {"url": "https://news.example.com/crime", "stance": "asserts", "quote": "crime has doubled"}],
     "verdicts": [{"publisher": DESK, "rating": "False", "url": "https://desk.example.org/1"}]},
    {"text": OHIO, "verdicts": [{"publisher": DESK, "rating": "Mostly True"},
                                {"publisher": DESK, "rating": "True"}]},  # re-rated at once
    {"text": MAYOR_AGAIN, "claimant": {"name": "jane  DOE"},
     "verdicts": [{"publisher": CHECKS, "rating": "True"}]},
    {"text": MAYOR, "appearances": [{"url": "https://radio.example.com/crime", "stance": "denies"}]},
    {"text": POLICE, "appearances": [{"url": "https://www.news.example.com/crime#top", "stance": "reports"}]},
    {"text": OHIO_FIVE},
    {"text": OHIO, "verdicts": [{"publisher": DESK, "rating": "Half True"}]},  # supersedes True
    {"text": BRIDGE, "appearances": [{"url": "https://news.example.com/bridge", "outlet": {"name": "News"}}]},
    {"text": OHIO, "verdicts": [{"publisher": DESK, "rating": "Half True"}]},  # nothing new
    {"text": OHIO_WORDS, "verdicts": [{"publisher": CHECKS, "rating": "Pants on Fire"}]},
    {"text": MAYOR, "appearances": [{"url": "https://radio.example.com/crime", "stance": "denies"}]},
]


def _state() -> dict:
    """Everything stored, by text rather than by id."""
    session = db.session
    stored = session.scalars(select(Claim)).all()
    text = {c.id: c.text for c in stored}
    groups: dict[int, set[str]] = {}
    for claim in stored:
        groups.setdefault(claim.group_id, set()).add(claim.text)
    rating = {v.id: v.rating for v in session.scalars(select(Verdict))}
    return {
        "claims": {c.text: (sorted(groups[c.group_id]), c.status, c.consensus_category, c.consensus_score,
                            c.contested_because, c.contest_score, c.n_terms, c.claimant_id is not None)
                   for c in stored},
        "appearances": sorted(session.execute(
            select(Claim.text, Article.url, Appearance.stance, Appearance.quote)
            .join(Appearance.claim).join(Appearance.article)).all()),
        "verdicts": sorted((text[v.claim_id], site, v.rating, v.score, v.category, v.status,
                            rating.get(v.superseded_by_id), v.version)
                           for v, site in session.execute(select(Verdict, Publisher.site).join(Verdict.publisher))),
        "links": sorted((text[link.claim_id], text[link.other_id], link.status, link.score, link.scorer,
                         link.decided_by) for link in session.scalars(select(ClaimLink))),
        "terms": sorted(session.execute(
            select(Claim.text, MatchTerm.term).join(ClaimTerm, ClaimTerm.claim_id == Claim.id)
            .join(MatchTerm, MatchTerm.id == ClaimTerm.term_id)).all()),
        # Entries and events show a claim as its batch left it: only what they are about is compared.
        "audit": sorted((e.action, e.entity, text[e.claim_id], e.after.get("rating"))
                        for e in session.scalars(select(AuditEntry))),
        "deliveries": sorted((d.event_type, d.payload["claim"]["text"], d.payload["verdict"]["rating"])
                             for d in session.scalars(select(WebhookDelivery))
                             if d.event_type == "verdict.created"),
    }


def _imported(batch_size: int) -> tuple[bulk.BulkSummary, dict]:
    # A public address: registration resolves nothing.
    webhooks.create_webhook({"url": "https://93.184.215.14/in"}, SYSTEM, settings.current())
    summary = bulk.import_claims(RECORDS, batch_size=batch_size)
    db.session.remove()
    return summary, _state()


@pytest.mark.parametrize("batch_size", [2, 5, 100])
def test_a_batch_stores_what_one_record_at_a_time_stores(app, batch_size):
    one_by_one, state = _imported(1)
    empty_tables()
    batched, batched_state = _imported(batch_size)

    assert batched_state == state
    assert batched == one_by_one
    assert (batched.created, batched.updated, batched.unchanged, batched.verdicts) == (7, 2, 2, 6)
    assert batched.links == len(state["links"]) >= 4
    assert any(status == "confirmed" for *_, status, _, _, _ in state["links"])
    mayor = state["claims"][MAYOR]
    assert mayor[0] == sorted([MAYOR, MAYOR_AGAIN]) and mayor[1] == "contested"
    assert set(mayor[4]) == {"verdicts_disagree", "sources_disagree"}
    ohio = [v for v in state["verdicts"] if v[0] == OHIO]
    assert [(v[2], v[6]) for v in ohio] == [("Half True", None), ("Mostly True", "True"), ("True", "Half True")]
    assert state["claims"][OHIO][2:4] == ("mixed", 0.5)
    actions = Counter(action for action, *_ in state["audit"])
    assert actions == {"claim.imported": 7, "verdict.imported": 6}
    assert len(state["deliveries"]) == 6


def _one_by_one_then_imported(texts: list[str], batch_size: int) -> tuple[dict, dict, bulk.BulkSummary]:
    """The state after creating the texts one by one, then after importing them into an empty store."""
    for text in texts:
        claims.create_claim({"text": text})
    created = _state()
    empty_tables()
    summary = bulk.import_claims([{"text": text} for text in texts], batch_size=batch_size)
    return created, _state(), summary


def test_imported_claims_are_linked_as_claims_created_one_by_one(app):
    created, imported, summary = _one_by_one_then_imported(
        [MAYOR, OHIO, MAYOR_AGAIN, POLICE, OHIO_FIVE, BRIDGE, OHIO_WORDS], batch_size=4)

    assert imported["links"] == created["links"] and summary.links == len(created["links"]) >= 4
    # The same groups and statuses, index terms and lengths.
    assert ({t: (c[0], c[1], c[6]) for t, c in imported["claims"].items()}
            == {t: (c[0], c[1], c[6]) for t, c in created["claims"].items()})
    assert imported["terms"] == created["terms"]


def test_a_batch_links_to_a_groups_best_members_as_one_by_one_does(app):
    """Six wordings of one claim in one batch: each links to at most LINKS_PER_GROUP of the
    group its batch's earlier wordings joined, exactly as when they arrive one by one."""
    created, imported, summary = _one_by_one_then_imported(WORDINGS, batch_size=10)

    assert imported["links"] == created["links"]
    assert summary.links == len(created["links"]) == 1 + 2 + 3 * 3
