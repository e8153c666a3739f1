"""Use cases for verdicts."""
from factcheck.models import Verdict
from factcheck.ratings import normalise_rating
from factcheck.services.claims import locked_claim
from factcheck.services.sources import publisher_for
from factcheck.services.groups import refresh_groups
from factcheck.services.uow import transaction


def submit_verdict(claim_id: int, data: dict) -> Verdict:
    """Keep the label as published; add its normalised score and category."""
    with transaction() as session:
        claim = locked_claim(session, claim_id)
        publisher = publisher_for(session, data["publisher"])
        normalised = normalise_rating(
            data["rating"],
            rating_value=data.get("rating_value"),
            best_rating=data.get("best_rating"),
            worst_rating=data.get("worst_rating"),
            publisher_site=publisher.site,
        )
        verdict = Verdict(
            publisher=publisher,
            rating=data["rating"].strip(),
            rating_value=data.get("rating_value"),
            best_rating=data.get("best_rating"),
            worst_rating=data.get("worst_rating"),
            score=normalised.score,
            category=normalised.category,
            explanation=data.get("explanation"),
            url=data.get("url"),
        )
        if data.get("review_date"):
            verdict.review_date = data["review_date"]
        verdict.claim_id = claim.id
        session.add(verdict)
        refresh_groups(session, [claim.group_id])
    return verdict
