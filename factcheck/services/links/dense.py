"""The matcher's dense stage over one session: the worker's vectors searched beside the words' query."""
import functools
import os
from collections.abc import Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from factcheck.models import Claim, ClaimVector
from factcheck.services.links.embeddings import Semantic, semantic
from factcheck.storage.id_lists import one_of
from factcheck.storage.uow import after_commit


@functools.cache
def _search_thread() -> ThreadPoolExecutor:
    """This process's thread for the dense stage's searches. torch and numpy compute with the
    interpreter's lock released, so a search runs on the other core while SQLite or PostgreSQL
    answers the words' candidate query."""
    return ThreadPoolExecutor(1, thread_name_prefix="factcheck-search")


os.register_at_fork(after_in_child=_search_thread.cache_clear)  # a forked worker starts its own


class DenseIndex:
    """The matcher's dense stage over one session: the worker's vectors, refreshed, plus the
    vectors of a batch being linked (not yet committed, so not yet in memory)."""

    def __init__(self, stage: Semantic, session: Session, force_refresh: bool = False):
        self.stage = stage
        self.session = session
        self.store = stage.refresh(session, force_refresh)
        self._staged_ids: list[int] = []
        self._staged = np.zeros((0, stage.store.dimensions), dtype=np.float32)

    def vectors(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        return self.stage.encode(texts, query=query)

    def search(self, texts: Sequence[str], *, query: bool, limit: int, exclude: Sequence[frozenset[int]],
               min_cosine: float = -1.0) -> Future[tuple[np.ndarray, list[list[tuple[int, float]]]]]:
        """The texts encoded and searched in the worker's search thread, while the matcher reads
        the words' candidates (docs/performance.md, "The dense search beside the words' query")."""
        return _search_thread().submit(self._search, list(texts), query, limit, list(exclude), min_cosine)

    def _search(self, texts: list[str], query: bool, limit: int, exclude: list[frozenset[int]],
                min_cosine: float) -> tuple[np.ndarray, list[list[tuple[int, float]]]]:
        vectors = self.vectors(texts, query=query)
        return vectors, self.nearest(vectors, limit, exclude, min_cosine)

    def stage_batch(self, claim_ids: Sequence[int], vectors: np.ndarray) -> None:
        self._staged_ids, self._staged = list(claim_ids), vectors

    def nearest(self, vectors: np.ndarray, limit: int, exclude: Sequence[frozenset[int]],
                min_cosine: float = -1.0) -> list[list[tuple[int, float]]]:
        found = self.store.nearest(vectors, limit, exclude, min_cosine)
        if not self._staged_ids:
            return found
        staged = vectors @ self._staged.T
        merged = []
        for position, hits in enumerate(found):
            left_out = exclude[position] if exclude else frozenset()
            batch = [(claim_id, float(score)) for claim_id, score in zip(self._staged_ids, staged[position])
                     if claim_id not in left_out and score >= min_cosine]
            merged.append(sorted(hits + batch, key=lambda hit: (-hit[1], hit[0]))[:limit])
        return merged

    def texts(self, claim_ids: Sequence[int]) -> dict[int, str]:
        if not claim_ids:
            return {}
        # A batch's candidates: at a million claims, a quarter of a million ids (one parameter here).
        return dict(self.session.execute(select(Claim.id, Claim.text).where(one_of(Claim.id, "ids")),
                                         {"ids": list(claim_ids)}).all())

    def cosines(self, vector: np.ndarray, claim_ids: Sequence[int]) -> list[float | None]:
        staged = dict(zip(self._staged_ids, self._staged @ vector)) if self._staged_ids else {}
        kept = self.store.cosines(vector, claim_ids)
        return [float(staged[i]) if i in staged else cosine for i, cosine in zip(claim_ids, kept)]


def dense_index(session: Session, linking: bool = False) -> DenseIndex | None:
    """The dense stage for this use case, or None when matching by words alone. The linker
    (linking=True) sees every vector committed; a read, those of the last second."""
    stage = semantic()
    return DenseIndex(stage, session, force_refresh=linking) if stage else None


def store_vectors(session: Session, dense: DenseIndex | None, claims: Collection[Claim]) -> None:
    """Embed claims just indexed (new, or with a new text) and store their vectors; the
    linker's lock is held (services.links.linker), so rows are stored in the order workers read them."""
    if dense is None or not claims:
        return
    ids = [claim.id for claim in claims]
    vectors = dense.vectors([claim.text for claim in claims], query=False)
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id.in_(ids), ClaimVector.model == dense.stage.model))
    session.execute(insert(ClaimVector), [{"claim_id": claim_id, "model": dense.stage.model, "vector": vector.tobytes()}
                                          for claim_id, vector in zip(ids, vectors)])
    dense.stage_batch(ids, vectors)
    after_commit(session, dense.stage.stale)  # this worker reads its own writes at once
