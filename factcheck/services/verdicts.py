"""Use cases for verdicts."""
from factcheck.models import Verdict
from factcheck.ratings import normalise_rating
from factcheck.services.claims import _locked_claim
from factcheck.services.sources import publisher_for
from factcheck.services.summary import refresh_summary
from factcheck.services.uow import transaction


def submit_verdict(claim_id: int, data: dict) -> Verdict:
    """Keep the label as published; add its normalised score and category."""
    with transaction() as session:
        claim = _locked_claim(session, claim_id)
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
        claim.verdicts.append(verdict)
        session.flush()
        refresh_summary(claim)
    return verdict
