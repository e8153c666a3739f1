"""ClaimReview in: claims, claimants, appearances and verdicts, keyed on the review url."""
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from factcheck.errors import Conflict, DomainError, Forbidden, TooLarge
from factcheck.models import Claim, Verdict
from factcheck.models.types import utcnow
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.services.claims.records import complete_claim, locked_claim, store_claims
from factcheck.services.claims.sources import publisher_for
from factcheck.services.claims.texts import lock_texts, same_text
from factcheck.services.exchange.claimreview import published_verdicts
from factcheck.services.links.groups import refresh_groups
from factcheck.services.verdicts.publishers import may_reimport, newsrooms

# Shared, not copied, so an imported review supersedes exactly as a submitted one does.
from factcheck.services.verdicts.reviews import normalised, supersede_earlier
from factcheck.services.webhooks.outbox import enqueue_events
from factcheck.storage.uow import transaction

# What the markup says of a review, kept as it says it: a missing date stays missing.
VERDICT_FIELDS = ("rating", "rating_value", "best_rating", "worst_rating", "explanation", "url", "review_date",
                  "review_date_as_published")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict] = field(default_factory=list)  # {"index", "path", "errors"}
    warnings: list[dict] = field(default_factory=list)  # {"index", "path", "warnings"}: what was dropped


def too_large(what: str) -> str:
    return (f"The document is too large to import in one request ({what}): split it, or import it on "
            "the server with `flask --app app import-claimreview FILE`.")


def import_document(document: dict, actor: Actor = SYSTEM, *, max_items: int | None = None) -> ImportSummary:
    """A document read by ClaimReviewDocumentSchema: its reviews, and those it rejected.
    With `max_items`, a document holding more is refused (TooLarge) before any is imported."""
    count = len(document["reviews"]) + len(document["rejected"])
    if max_items is not None and count > max_items:
        raise TooLarge(too_large(f"{count:,} reviews, at most {max_items:,}"))
    return import_reviews(document["reviews"], ImportSummary(rejected=list(document["rejected"])), actor)


def import_reviews(reviews: Iterable[dict], summary: ImportSummary, actor: Actor = SYSTEM) -> ImportSummary:
    """Each review in its own transaction: a failed one leaves nothing behind, the rest stay."""
    for review in reviews:
        try:
            outcome = import_review(review, actor)
        except DomainError as error:
            summary.rejected.append({"index": review["index"], "path": review["path"],
                                     "errors": error.errors or {"_schema": [error.detail]}})
            continue
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if review.get("warnings"):
            summary.warnings.append({"index": review["index"], "path": review["path"],
                                     "warnings": review["warnings"]})
    summary.rejected.sort(key=lambda item: item["index"])
    return summary


def import_review(review: dict, actor: Actor = SYSTEM) -> str:
    """Create or update one review's claim and verdict; returns created/updated/unchanged.

    A review signed with a newsroom's site is that newsroom's verdict, so only it may import
    it; any other publisher's is an external review, which a re-import changes only for its
    importer or an operator.
    """
    claim_data = review["claim"]
    data = review["verdict"]
    with transaction() as session:
        rooms = newsrooms(session)
        if reason := rooms.refusal(data["publisher"], actor):
            raise Forbidden(reason, errors={"author": [reason]})
        if reason := rooms.url_refusal(data["url"], data["publisher"]["site"]):
            raise Forbidden(reason, errors={"url": [reason]})
        verdict = session.scalars(published_verdicts(
            select(Verdict).where(Verdict.url == data["url"])).order_by(Verdict.id).limit(1)).first()
        if verdict is None:
            claim = _claim_for(session, claim_data, actor)
            verdict = Verdict(claim_id=claim.id, status="published", published_at=utcnow(), imported=True,
                              imported_by_id=actor.organisation_id)
            _apply_verdict(session, verdict, data)
            verdict.organisation_id = rooms.owner_of(verdict.publisher.site)
            session.add(verdict)
            session.flush()
            supersede_earlier(session, verdict)
            refresh_groups(session, [claim.group_id])
            audit.record(session, actor, "verdict.imported", verdict, claim_id=claim.id)
            enqueue_events(session, [verdict])
            return "created"
        claim = locked_claim(session, verdict.claim_id)
        if publisher_for(session, data["publisher"]).id != verdict.publisher_id:
            reason = f"A review by {verdict.publisher.site} already has this url."
            raise Conflict(reason, errors={"url": [reason]})
        before = audit.snapshot(verdict)
        revised = _apply_verdict(session, verdict, data)
        if revised and not may_reimport(verdict, actor):
            reason = ("Stored from another import: only its importer, or an operator, may change it."
                      if verdict.organisation_id is None else "Only the newsroom that published it may change it.")
            raise Forbidden(reason, errors={"url": [reason]})
        if not complete_claim(session, claim, claim_data, actor) and not revised:
            return "unchanged"
        refresh_groups(session, [claim.group_id])
        if revised:
            audit.record(session, actor, "verdict.revised", verdict, before=before, claim_id=claim.id)
        enqueue_events(session)
        return "updated"


def _claim_for(session, data: dict, actor: Actor) -> Claim:
    """The stored claim with exactly this text (its evidence completed), else a new claim
    linked to its near-duplicates like any other."""
    text = data["text"].strip()
    lock_texts(session, [text])
    stored_id = same_text(session, text)
    if stored_id is None:
        (claim,) = store_claims(session, [data])
        audit.record(session, actor, "claim.imported", claim, claim_id=claim.id)
        return claim
    claim = locked_claim(session, stored_id)
    complete_claim(session, claim, data, actor)
    return claim


def _apply_verdict(session, verdict: Verdict, data: dict) -> bool:
    """Set the verdict's fields from the review; True when any of them changed."""
    publisher = publisher_for(session, data["publisher"])
    wanted = {name: data.get(name) for name in VERDICT_FIELDS}
    wanted["rating"] = data["rating"].strip()
    wanted.update(normalised(wanted, publisher.site), publisher_id=publisher.id,
                  publisher_name=data["publisher"]["name"])
    changed = False
    for name, value in wanted.items():
        if getattr(verdict, name) != value:
            setattr(verdict, name, value)
            changed = True
    verdict.publisher = publisher
    return changed
