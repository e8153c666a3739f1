"""Claims' sentence vectors: stored by the linker, kept in each worker's memory, searched by meaning."""
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Self

import numpy as np
from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.matching import clean_text
from factcheck.models import Claim, ClaimVector
from factcheck.semantic import Encoder, SemanticUnavailable, load_encoder
from factcheck.semantic.vectors import VectorStore
from factcheck.settings import current as settings
from factcheck.storage.uow import read_connection

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
            top = session.scalar(select(func.max(ClaimVector.id)).where(ClaimVector.model == self.model)) or 0
            # In pages, a worker's start reads every vector, a page of them in memory at once. A
            # page is a range of sequence numbers, so that no plan the database may choose (on
            # statistics older than the rows) reads more than a page's rows. The linker stores
            # vectors one batch at a time, so every row up to `top` has committed.
            for after in range(self.store.loaded_upto, top, _PAGE):
                upto = min(after + _PAGE, top)
                self.store.add_page(*_vector_page(session, self.model, after, upto), upto=upto)
            self._refreshed_at = now
        return self.store


def _vector_page(session: Session, model: str, after: int,
                 upto: int) -> tuple[tuple[int, ...], tuple[int, ...], np.ndarray]:
    """The vectors stored under `model` with sequence numbers above `after`, up to `upto`:
    their sequence numbers, claim ids, and the vectors as one matrix."""
    query = (select(ClaimVector.id, ClaimVector.claim_id, ClaimVector.vector)
             .where(ClaimVector.model == model, ClaimVector.id > after, ClaimVector.id <= upto)
             .order_by(ClaimVector.id))
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # In the binary format: in the text one every byte travels as two hex digits for
        # psycopg to decode, and a worker's start read vectors at half the speed.
        compiled = query.compile(connection)
        with connection.connection.driver_connection.cursor(binary=True) as cursor:
            rows = cursor.execute(str(compiled), compiled.params).fetchall()
    else:
        rows = connection.execute(query).all()
    if not rows:
        return (), (), np.zeros((0, 0), dtype=np.float32)
    sequences, claim_ids, vectors = zip(*rows)
    return sequences, claim_ids, np.frombuffer(b"".join(vectors), dtype=np.float32).reshape(len(rows), -1)


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


def drop_vectors(session: Session, claim_id: int) -> None:
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id == claim_id))


def without_vectors(session: Session, model: str, limit: int) -> list[Claim]:
    """Claims (not removed) that have no vector under `model`, lowest id first."""
    has = select(ClaimVector.claim_id).where(ClaimVector.model == model, ClaimVector.claim_id == Claim.id)
    return list(session.scalars(select(Claim).where(Claim.removed_at.is_(None), ~has.exists())
                                .order_by(Claim.id).limit(limit)))
