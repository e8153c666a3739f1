"""Embedding the claims that have no vector under the model in use (`flask embed-claims`)."""
from collections.abc import Callable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from factcheck.errors import DomainError
from factcheck.extensions import db
from factcheck.models import Claim, ClaimVector
from factcheck.services.links.dense import dense_index, store_vectors
from factcheck.services.links.embeddings import Semantic, semantic, without_vectors
from factcheck.services.links.linker import hold_linker
from factcheck.storage.uow import transaction


def _stage() -> Semantic:
    if (stage := semantic()) is None:
        raise DomainError("The semantic stage is off (SEMANTIC_MODEL) or its packages are not installed.")
    return stage


def model_name() -> str:
    return _stage().model


def count_without_vectors() -> int:
    model = _stage().model
    has = select(ClaimVector.claim_id).where(ClaimVector.model == model, ClaimVector.claim_id == Claim.id)
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Claim)
                                 .where(Claim.removed_at.is_(None), ~has.exists()))


def embed_missing(batch_size: int, progress: Callable[[int], object] = lambda n: None) -> int:
    """Embed claims without a vector, a batch per transaction, until none is left; returns how many."""
    stage, done = _stage(), 0
    while True:
        with Session(db.engine) as reader:  # encoded before the write lock is taken
            texts = [claim.text for claim in without_vectors(reader, stage.model, batch_size)]
        if not texts:
            return done
        stage.encode(texts)
        with transaction() as session:
            hold_linker(session)  # vectors are stored by one writer at a time, in the order workers read them
            claims = without_vectors(session, stage.model, batch_size)
            store_vectors(session, dense_index(session, linking=True), claims)
        done += len(claims)
        progress(len(claims))


def prune_other_models() -> int:
    """Delete the vectors of every model but the one in use; returns how many."""
    model = _stage().model
    with transaction() as session:
        return session.execute(delete(ClaimVector).where(ClaimVector.model != model)).rowcount
