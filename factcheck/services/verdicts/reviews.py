"""Use cases for verdicts: submit, read, revise, publish, withdraw."""
from sqlalchemy import update

from factcheck.errors import Conflict, Forbidden, Invalid, NotFound, check_version, flush_version
from factcheck.extensions import db
from factcheck.models import Verdict
from factcheck.models.types import utcnow
from factcheck.ratings import normalise_rating, scale_errors
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.services.claims.documents import verdict_documents_by_id
from factcheck.services.claims.records import locked_claim
from factcheck.services.links.groups import refresh_groups
from factcheck.services.verdicts.publishers import check_url, may_change, newsrooms, signing_publisher
from factcheck.services.webhooks.outbox import enqueue_events
from factcheck.storage.uow import read_only, transaction

RATING_FIELDS = ("rating", "rating_value", "best_rating", "worst_rating")
# Allowed moves of the lifecycle: a withdrawn verdict stays withdrawn.
TRANSITIONS = {"draft": {"draft", "published", "withdrawn"}, "published": {"published", "withdrawn"},
               "withdrawn": {"withdrawn"}}


def normalised(values: dict, publisher_site: str) -> dict:
    """The score and category of a verdict's rating fields; the label is kept as published."""
    found = normalise_rating(values["rating"], rating_value=values.get("rating_value"),
                             best_rating=values.get("best_rating"), worst_rating=values.get("worst_rating"),
                             publisher_site=publisher_site)
    return {"score": found.score, "category": found.category}


def normalise(verdict: Verdict) -> None:
    """Keep the label as published; add its normalised score and category."""
    values = normalised({field: getattr(verdict, field) for field in RATING_FIELDS}, verdict.publisher.site)
    verdict.score, verdict.category = values["score"], values["category"]


def supersede_earlier(session, verdict: Verdict) -> None:
    """A publisher's newly published verdict replaces its earlier ones on the claim (only its
    newsroom, or for an external publisher its importers, write a publisher's verdicts).

    The earlier ones keep their updated_at: their reviews did not change, and the feed (in
    updated_at order) must keep a publisher's reviews in the order they were published, which
    is how a partner importing it tells the latest.
    """
    session.execute(
        update(Verdict)
        .where(Verdict.claim_id == verdict.claim_id, Verdict.publisher_id == verdict.publisher_id,
               Verdict.status == "published", Verdict.superseded_by_id.is_(None), Verdict.id != verdict.id)
        .values(superseded_by_id=verdict.id, updated_at=Verdict.updated_at)
        .execution_options(synchronize_session="fetch")
    )


def submit_verdict(claim_id: int, data: dict, actor: Actor = SYSTEM) -> Verdict:
    with transaction() as session:
        claim = locked_claim(session, claim_id)
        status = data.get("status", "published")
        verdict = Verdict(
            claim_id=claim.id, publisher=signing_publisher(session, data, actor), status=status,
            explanation=data.get("explanation"), url=data.get("url"),
            published_at=utcnow() if status == "published" else None,
            **_signature(actor), **{field: data.get(field) for field in RATING_FIELDS},
        )
        verdict.rating = verdict.rating.strip()
        verdict.publisher_name = (data.get("publisher") or {}).get("name") or verdict.publisher.name
        verdict.review_date = data.get("review_date") or utcnow()
        normalise(verdict)
        session.add(verdict)
        session.flush()
        if verdict.status == "published":
            supersede_earlier(session, verdict)
        refresh_groups(session, [claim.group_id])
        audit.record(session, actor, "verdict.submitted", verdict, claim_id=claim.id,
                     private_to=_private_to(verdict))
        enqueue_events(session, [verdict])
    return verdict


def _signature(actor: Actor) -> dict:
    """A newsroom's verdict is its own; with no newsroom (the operator's CLI: the demo seed,
    say), it is an external review the operator imported."""
    if actor.organisation_id is None:
        return {"organisation_id": None, "imported": True, "imported_by_id": None}
    return {"organisation_id": actor.organisation_id}


def _private_to(verdict: Verdict) -> int | None:
    """A verdict never published (a draft, withdrawn or not) is its newsroom's alone."""
    return verdict.organisation_id if verdict.published_at is None else None


def _seen(published_at, organisation_id: int | None, actor: Actor | None) -> bool:
    """A verdict never published is seen by its own organisation only: to anyone else it does not exist."""
    return published_at is not None or (actor is not None and organisation_id == actor.organisation_id)


def get_verdict(verdict_id: int, actor: Actor | None) -> Verdict:
    verdict = db.session.get(Verdict, verdict_id)
    if verdict is None or not _seen(verdict.published_at, verdict.organisation_id, actor):
        raise NotFound(f"No verdict has id {verdict_id}.")
    return verdict


@read_only
def shown_verdict(verdict_id: int, actor: Actor | None) -> dict:
    """The verdict's document (services.claims.documents), as get_verdict finds it."""
    document = verdict_documents_by_id([verdict_id]).get(verdict_id)
    if document is None or not _seen(document["published_at"], document["organisation_id"], actor):
        raise NotFound(f"No verdict has id {verdict_id}.")
    return document


@read_only
def verdict_document(verdict_id: int) -> dict:
    """The document of a verdict the caller has just written, whatever its status."""
    return verdict_documents_by_id([verdict_id])[verdict_id]


def revise_verdict(verdict_id: int, changes: dict, actor: Actor, expected_version: int | None) -> Verdict:
    """Change, publish or withdraw a verdict: its own organisation only, at the version read."""
    with transaction() as session:
        verdict = get_verdict(verdict_id, actor)
        if not may_change(verdict, actor):
            raise Forbidden("Only an operator may change an external review." if verdict.organisation_id is None
                            else "Only the organisation that published this verdict may change it.")
        check_version("verdict", verdict.version, expected_version)
        status = changes.get("status", verdict.status)
        if status not in TRANSITIONS[verdict.status]:
            raise Conflict(f"A {verdict.status} verdict cannot become {status}.")
        if status == "withdrawn" != verdict.status and not (changes.get("reason") or "").strip():
            raise Invalid("Say why the verdict is withdrawn.", errors={"reason": ["Required when withdrawing."]})
        published = status == "published" and verdict.status != "published"
        claim = locked_claim(session, verdict.claim_id)
        before = audit.snapshot(verdict)
        if changes.get("url"):
            check_url(newsrooms(session), changes["url"], verdict.publisher.site)
        if "reason" in changes:
            changes = dict(changes)
            verdict.withdrawn_reason = changes.pop("reason").strip()
        for field, value in changes.items():
            setattr(verdict, field, value.strip() if field == "rating" else value)
        if changes.keys() & {"rating_value", "best_rating", "worst_rating"}:
            _check_scale(verdict)
        if changes.keys() & {*RATING_FIELDS}:
            normalise(verdict)
        # Always an UPDATE, even when nothing changed: the stored version is then checked and
        # moved on, so of two writers sent with one ETag only the first can succeed.
        verdict.updated_at = utcnow()
        if published:
            verdict.published_at = verdict.updated_at
        flush_version(session, "verdict")
        if published:
            supersede_earlier(session, verdict)
        refresh_groups(session, [claim.group_id])
        enqueue_events(session, [verdict] if published else [])
        audit.record(session, actor, f"verdict.{_action(before['status'], status)}", verdict,
                     before=before, claim_id=claim.id, private_to=_private_to(verdict))
    return verdict


def _check_scale(verdict: Verdict) -> None:
    """The numbers changed must still form a scale with those kept."""
    errors = scale_errors(verdict.rating_value, verdict.best_rating, verdict.worst_rating)
    if errors:
        names = {"value": "rating_value", "best": "best_rating"}
        raise Invalid("The rating is not on its scale.",
                      errors={names[key]: [message] for key, message in errors.items()})


def _action(was: str, now: str) -> str:
    if was == now:
        return "revised"
    return {"published": "published", "withdrawn": "withdrawn"}.get(now, "revised")
