"""Use cases for verdicts: submit, read, revise, publish, withdraw."""
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from factcheck.errors import Conflict, Forbidden, Invalid, NotFound, PreconditionFailed, check_version
from factcheck.extensions import db
from factcheck.models import Organisation, Verdict
from factcheck.models.types import utcnow
from factcheck.ratings import normalise_rating
from factcheck.services import audit
from factcheck.services.actors import SYSTEM, Actor
from factcheck.services.claims import locked_claim
from factcheck.services.groups import refresh_groups
from factcheck.services.sources import publisher_for
from factcheck.services.uow import transaction
from factcheck.services.webhooks import enqueue_events

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


def _publisher(session, data: dict, actor: Actor):
    if data.get("publisher"):
        publisher = publisher_for(session, data["publisher"])
        owner = session.scalars(select(Organisation.id).where(Organisation.site == publisher.site)).first()
        if owner is not None and actor.organisation_id is not None and owner != actor.organisation_id:
            raise Forbidden(f"{publisher.site} is another newsroom's site: sign with your own.")
        return publisher
    organisation = session.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    if organisation is None or not organisation.site:
        raise Invalid("Name the publisher: the token's organisation has no site to sign with.",
                      errors={"publisher": ["Missing data for required field."]})
    return publisher_for(session, {"name": organisation.name, "site": organisation.site})


def supersede_earlier(session, verdict: Verdict) -> None:
    """A publisher's newly published verdict replaces its earlier ones on the claim."""
    session.execute(
        update(Verdict)
        .where(Verdict.claim_id == verdict.claim_id, Verdict.publisher_id == verdict.publisher_id,
               Verdict.organisation_id.is_not_distinct_from(verdict.organisation_id),
               Verdict.status == "published", Verdict.superseded_by_id.is_(None), Verdict.id != verdict.id)
        .values(superseded_by_id=verdict.id)
        .execution_options(synchronize_session="fetch")
    )


def submit_verdict(claim_id: int, data: dict, actor: Actor = SYSTEM) -> Verdict:
    with transaction() as session:
        claim = locked_claim(session, claim_id)
        verdict = Verdict(
            claim_id=claim.id, publisher=_publisher(session, data, actor),
            organisation_id=actor.organisation_id, status=data.get("status", "published"),
            explanation=data.get("explanation"), url=data.get("url"),
            **{field: data.get(field) for field in RATING_FIELDS},
        )
        verdict.rating = verdict.rating.strip()
        if data.get("review_date"):
            verdict.review_date = data["review_date"]
        normalise(verdict)
        session.add(verdict)
        session.flush()
        if verdict.status == "published":
            supersede_earlier(session, verdict)
        refresh_groups(session, [claim.group_id])
        audit.record(session, actor, "verdict.submitted", verdict, claim_id=claim.id,
                     private_to=verdict.organisation_id if verdict.status == "draft" else None)
        enqueue_events(session, [verdict])
    return verdict


def get_verdict(verdict_id: int, actor: Actor | None) -> Verdict:
    """Drafts are seen by their own organisation only: to anyone else they do not exist."""
    verdict = db.session.get(Verdict, verdict_id)
    mine = actor is not None and verdict is not None and verdict.organisation_id == actor.organisation_id
    if verdict is None or (verdict.status == "draft" and not mine):
        raise NotFound(f"No verdict has id {verdict_id}.")
    return verdict


def revise_verdict(verdict_id: int, changes: dict, actor: Actor, expected_version: int | None) -> Verdict:
    """Change, publish or withdraw a verdict: its own organisation only, at the version read."""
    with transaction() as session:
        verdict = get_verdict(verdict_id, actor)
        if verdict.organisation_id != actor.organisation_id:
            raise Forbidden("Only the organisation that published this verdict may change it.")
        check_version("verdict", verdict.version, expected_version)
        status = changes.get("status", verdict.status)
        if status not in TRANSITIONS[verdict.status]:
            raise Conflict(f"A {verdict.status} verdict cannot become {status}.")
        claim = locked_claim(session, verdict.claim_id)
        before = audit.snapshot(verdict)
        for field, value in changes.items():
            setattr(verdict, field, value.strip() if field == "rating" else value)
        if changes.keys() & {*RATING_FIELDS}:
            normalise(verdict)
        # Always an UPDATE, even when nothing changed: the stored version is then checked and
        # moved on, so of two writers sent with one ETag only the first can succeed.
        verdict.updated_at = utcnow()
        try:
            session.flush()
        except StaleDataError as error:
            raise PreconditionFailed("The verdict changed since it was read; read it again.") from error
        published = status == "published" and before["status"] != "published"
        if published:
            supersede_earlier(session, verdict)
        refresh_groups(session, [claim.group_id])
        enqueue_events(session, [verdict] if published else [])
        audit.record(session, actor, f"verdict.{_action(before['status'], status)}", verdict,
                     before=before, claim_id=claim.id,
                     private_to=verdict.organisation_id if status == "draft" else None)
    return verdict


def _action(was: str, now: str) -> str:
    if was == now:
        return "revised"
    return {"published": "published", "withdrawn": "withdrawn"}.get(now, "revised")
