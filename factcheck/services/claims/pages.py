"""What a claim's page shows besides its document: its group's other wordings and every verdict a reader may see."""
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from factcheck.extensions import db
from factcheck.models import Claim, Organisation, Verdict
from factcheck.services.accounts.actors import Actor
from factcheck.services.claims.documents import claim_rows, documents
from factcheck.storage.uow import read_connection, read_only

# A group can grow large (a claim repeated by hundreds of outlets): a page shows this many wordings.
WORDINGS_SHOWN = 50


@read_only
def group_wordings(claim: dict) -> list[dict]:
    """The documents of the other claims of the claim's group, oldest first."""
    rows = read_connection().execute(
        claim_rows().where(Claim.group_id == claim["group_id"], Claim.id != claim["id"])
        .order_by(Claim.id).limit(WORDINGS_SHOWN)).all()
    return documents(rows)


def group_verdicts(group_id: int, actor: Actor | None) -> list[Verdict]:
    """Every verdict on the group's claims with its lifecycle (published, withdrawn,
    superseded); one never published (a draft, withdrawn or not) to the actor's own newsroom
    only, as GET /verdicts/{id} rules."""
    visible = Verdict.published_at.is_not(None)
    if actor is not None and actor.organisation_id is not None:
        visible = or_(visible, Verdict.organisation_id == actor.organisation_id)
    members = select(Claim.id).where(Claim.group_id == group_id)
    return list(db.session.scalars(select(Verdict).where(Verdict.claim_id.in_(members), visible)
                                   .options(joinedload(Verdict.publisher)).order_by(Verdict.id)))


def newsroom_of(actor: Actor) -> Organisation | None:
    """The actor's newsroom: a verdict without a publisher is signed with its name and site."""
    return db.session.get(Organisation, actor.organisation_id) if actor.organisation_id else None
