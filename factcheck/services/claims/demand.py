"""Demand: how often each claim is asked about, counted by one UPDATE of its row."""
from collections.abc import Collection

from sqlalchemy import update
from sqlalchemy.orm import Session

from factcheck.matching import Match
from factcheck.models import Claim
from factcheck.models.types import utcnow
from factcheck.storage.uow import transaction


def count_asked(session: Session, claim_ids: Collection[int]) -> None:
    """One more ask for each claim, now. `asked + 1` is computed by the database under the
    row's lock, so concurrent asks are all counted; it takes no group lock."""
    if claim_ids:
        session.execute(update(Claim).where(Claim.id.in_(set(claim_ids)))
                        .values(asked=Claim.asked + 1, asked_at=utcnow()),
                        execution_options={"synchronize_session": False})


def strongly_matched(found: list[Match], similarity: float) -> int | None:
    """The claim a match answer ranked first, if its words are alike enough to the text's to
    say the text asked about it (DEMAND_MATCH_SIMILARITY; the ranking score is near 1 for any
    first answer)."""
    if found and found[0].similarity >= similarity:
        return found[0].claim_id
    return None


def asked_about(claim_id: int | None) -> None:
    """Count a match's first answer, in a short transaction of its own after the read."""
    if claim_id is not None:
        with transaction() as session:
            count_asked(session, [claim_id])
