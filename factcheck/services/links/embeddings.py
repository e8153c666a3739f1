"""Claims' sentence vectors: stored by the linker, kept in each worker's memory, searched by meaning."""
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Self

import numpy as np
from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.matching import clean_text
from factcheck.models import Claim, ClaimVector
from factcheck.semantic import Encoder, SemanticUnavailable, load_encoder
from factcheck.semantic.vectors import VectorStore
from factcheck.settings import current as settings
from factcheck.storage.id_lists import one_of
from factcheck.storage.uow import after_commit, read_connection

_KEY = "factcheck.semantic"
OFF = ("", "off", "none", "false", "0")
_PAGE = 10_000  # vectors read at once
_CACHED_TEXTS = 4096  # a claim's vector is asked for when it is stored, then when it is linked


class Semantic:
    """One app's semantic stage: its encoder, the vectors it keeps, the texts it encoded lately."""

    def __init__(self, encoder: Encoder, refresh_seconds: float):
        self.encoder = encoder
        self.model = encoder.name
        # Vectors kept in the precision the encoder runs in (bfloat16 where the CPU multiplies it natively).
        self.store = VectorStore(encoder.dimensions, precision=getattr(encoder, "precision", "float32"))
        self.refresh_seconds = refresh_seconds
        self._refreshed_at = float("-inf")
        self._recent: OrderedDict[tuple[str, bool], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """Unit vectors of the texts; those encoded lately are not encoded again."""
        with self._lock:
            missing = list(dict.fromkeys(text for text in texts if (text, query) not in self._recent))
        if missing:
            # What a tweet adds around a claim (links, handles, the trailer's date) is noise to the model.
            fresh = self.encoder.encode([clean_text(text) for text in missing], query=query)
            with self._lock:
                for text, vector in zip(missing, fresh):
                    self._recent[(text, query)] = vector
                while len(self._recent) > _CACHED_TEXTS:
                    self._recent.popitem(last=False)
        with self._lock:
            found = [self._recent.get((text, query)) for text in texts]
        if any(vector is None for vector in found):  # pushed out by a burst of other texts meanwhile
            return self.encoder.encode([clean_text(text) for text in texts], query=query)
        return np.stack(found) if found else np.zeros((0, self.store.dimensions), dtype=np.float32)

    def forget_texts(self) -> None:
        """Encode every text anew (benchmarks of new texts)."""
        with self._lock:
            self._recent.clear()

    def stale(self) -> None:
        """Take in the vectors stored since at the next look (this worker just stored some)."""
        self._refreshed_at = float("-inf")

    def refresh(self, session: Session, force: bool = False) -> VectorStore:
        """Take in the vectors stored since the last look (at most refresh_seconds ago unless forced)."""
        now = time.monotonic()
        if force or now - self._refreshed_at >= self.refresh_seconds:
            while True:  # in pages: a worker's start reads every vector, a page of them in memory at once
                rows = session.execute(select(ClaimVector.id, ClaimVector.claim_id, ClaimVector.vector)
                                       .where(ClaimVector.model == self.model, ClaimVector.id > self.store.loaded_upto)
                                       .order_by(ClaimVector.id).limit(_PAGE)).all()
                self.store.add((id_, claim_id, np.frombuffer(vector, dtype=np.float32))
                               for id_, claim_id, vector in rows)
                if len(rows) < _PAGE:
                    break
            self._refreshed_at = now
        return self.store


def semantic() -> Semantic | None:
    """The app's semantic stage, or None when SEMANTIC_MODEL is off or its packages are missing."""
    extensions = current_app.extensions
    if _KEY not in extensions:
        configured = settings()
        name, stage = configured.semantic_model, None
        if name.strip().lower() not in OFF:
            try:
                encoder = load_encoder(name, configured.semantic_threads, configured.semantic_precision)
                stage = Semantic(encoder, configured.semantic_refresh_seconds)
            except SemanticUnavailable as error:
                logging.getLogger(__name__).warning("Matching by words alone: %s", error)
        extensions[_KEY] = stage
    return extensions[_KEY]


def current_vectors() -> VectorStore | None:
    """The vectors this worker keeps, as a read sees them (refreshed at most refresh_seconds
    ago); None without the semantic stage."""
    if (stage := semantic()) is None:
        return None
    with Session(read_connection()) as session:
        return stage.refresh(session)


def warm_up() -> None:
    """Load the model and the vectors stored so far (a worker, before its first request)."""
    if (stage := semantic()) is not None:
        stage.encode(["warm up"], query=True)
        with Session(db.engine) as session:
            stage.refresh(session, force=True)


def forget_vectors() -> None:
    """Drop what this app keeps in memory (its database was emptied under it)."""
    current_app.extensions.pop(_KEY, None)


class EncodingAhead:
    """A bulk writer's texts encoded a batch ahead: while one batch is stored and linked, the
    next one's are encoded in a thread, and linking them finds them among the texts encoded
    lately (Semantic.encode). torch computes with the interpreter's lock released, so the
    encoding runs on the other core (docs/performance.md, "Import").

    `enabled` with the semantic stage on and batches of at most half the texts it keeps
    encoded: the batch being linked needs the other half.
    """

    def __init__(self, batch_size: int) -> None:
        self._stage = semantic()
        enabled = self._stage is not None and batch_size <= _CACHED_TEXTS // 2
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="factcheck-encode") if enabled else None
        self._encoding: Future | None = None

    @property
    def enabled(self) -> bool:
        return self._thread is not None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)

    def start(self, texts: Sequence[str]) -> None:
        """Begin encoding these texts, once those begun before are encoded."""
        self.wait()
        if self._thread is not None and texts:
            self._encoding = self._thread.submit(self._stage.encode, list(texts))

    def wait(self) -> None:
        """Until the texts begun last are encoded; their encoding's error is raised here."""
        encoding, self._encoding = self._encoding, None
        if encoding is not None:
            encoding.result()


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


def drop_vectors(session: Session, claim_id: int) -> None:
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id == claim_id))


def without_vectors(session: Session, model: str, limit: int) -> list[Claim]:
    """Claims (not removed) that have no vector under `model`, lowest id first."""
    has = select(ClaimVector.claim_id).where(ClaimVector.model == model, ClaimVector.claim_id == Claim.id)
    return list(session.scalars(select(Claim).where(Claim.removed_at.is_(None), ~has.exists())
                                .order_by(Claim.id).limit(limit)))
