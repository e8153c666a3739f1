"""The demo story: claims with their sources and demo verdicts, loaded once."""
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.models.claims import text_key
from factcheck.services.claims import create_claim
from factcheck.services.verdicts import submit_verdict


def load_seed(claims: list[tuple[dict, list[dict]]]) -> tuple[int, int]:
    """Create each (claim, verdicts) not already stored; returns (created, skipped).

    A claim counts as stored when a claim with the same text exists, so running the seed
    twice changes nothing.
    """
    created = skipped = 0
    for claim_data, verdicts in claims:
        exists = db.session.scalars(select(Claim.id).where(
            Claim.text_key == text_key(claim_data["text"]), Claim.text == claim_data["text"])).first()
        if exists is not None:
            skipped += 1
            continue
        claim_id = create_claim(claim_data)
        for verdict in verdicts:
            submit_verdict(claim_id, verdict)
        created += 1
    return created, skipped
