"""Claim vectors held in memory, ranked against query vectors by matrix products."""
from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from itertools import islice

import numpy as np

BLOCK_ROWS = 65_536  # rows of one block: 24 MB in float32, 12 MB in bfloat16, at 384 dimensions
_ADD_CHUNK = 4_096  # rows taken in at once from an iterable


class VectorStore:
    """Unit vectors by claim id, in blocks of rows allocated as they fill.

    `precision` "float32" keeps numpy blocks; "bfloat16" torch ones, for CPUs that multiply
    bfloat16 natively (the encoder's SEMANTIC_PRECISION=auto choice): half the memory, and a
    query's nearest 50 of 100,000 in about half float32's time (3.5 ms against 6.5,
    docs/performance.md). Cosines come out as float32 either way, those of bfloat16 rows
    within ~0.001 of float32's.

    Blocks are never copied to grow, so memory follows the rows stored (a worker holding a
    million vectors never needs room for two million), and a block's unused rows are never
    written, so the operating system gives them no memory until they are. Which row holds a
    claim is an array indexed by claim id (4 bytes for every id up to the highest stored):
    claim ids are a database sequence's.

    A claim given a new vector keeps its row, which keeps the vector of the highest
    storage sequence number given, whatever order pages arrive in (two threads may read
    overlapping ones); `loaded_upto` is the highest sequence number taken in, so that a caller
    can add only what was stored since.
    """

    def __init__(self, dimensions: int, precision: str = "float32", block_rows: int = BLOCK_ROWS):
        if precision not in ("float32", "bfloat16"):
            raise ValueError(f"unknown vector precision {precision!r}")
        self.dimensions = dimensions
        self.precision = precision
        self.block_rows = block_rows
        self._blocks: list = []
        self._ids = np.zeros(0, dtype=np.int64)  # row -> claim id
        self._sequences = np.zeros(0, dtype=np.int64)  # row -> its vector's sequence number
        self._rows = np.zeros(0, dtype=np.int32)  # claim id -> row + 1 (0: no row)
        self._size = 0
        self.loaded_upto = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._size

    def add(self, rows: Iterable[tuple[int, int, np.ndarray]]) -> None:
        """(sequence, claim id, vector) rows; a claim's vector of a higher sequence number
        replaces one of a lower."""
        rows = iter(rows)
        while chunk := list(islice(rows, _ADD_CHUNK)):
            sequences, claim_ids, vectors = zip(*chunk)
            self.add_page(sequences, claim_ids, np.stack(vectors), upto=max(sequences))

    def add_page(self, sequences: Sequence[int], claim_ids: Sequence[int], vectors: np.ndarray,
                 upto: int) -> None:
        """Rows read together: their sequence numbers, claim ids and vectors (one matrix);
        `upto` is the highest sequence number the read covered."""
        with self._lock:
            if len(claim_ids):
                self._put(np.asarray(sequences, dtype=np.int64), np.asarray(claim_ids, dtype=np.int64),
                          np.asarray(vectors, dtype=np.float32))
            self.loaded_upto = max(self.loaded_upto, upto)

    def _put(self, sequences: np.ndarray, claim_ids: np.ndarray, vectors: np.ndarray) -> None:
        if claim_ids.min() < 0:
            raise ValueError("a claim id cannot be negative")
        # A claim twice in one page: its vector of the highest sequence number.
        by_sequence = np.lexsort((sequences, claim_ids))
        last = np.append(claim_ids[by_sequence][1:] != claim_ids[by_sequence][:-1], True)
        keep = np.sort(by_sequence[last])
        sequences, claim_ids, vectors = sequences[keep], claim_ids[keep], vectors[keep]
        if int(claim_ids.max()) >= len(self._rows):
            self._rows = _grown(self._rows, int(claim_ids.max()) + 1)
        rows = self._rows[claim_ids].astype(np.int64) - 1
        new = rows < 0
        # A page read before another thread's later one: what it holds may be older.
        newer = new.copy()
        newer[~new] = sequences[~new] > self._sequences[rows[~new]]
        sequences, claim_ids, vectors, rows, new = (sequences[newer], claim_ids[newer], vectors[newer],
                                                    rows[newer], new[newer])
        if not len(rows):
            return
        size = self._size + int(new.sum())
        rows[new] = np.arange(self._size, size)
        if size > len(self._ids):
            self._ids = _grown(self._ids, size)
            self._sequences = _grown(self._sequences, size)
        while len(self._blocks) * self.block_rows < size:
            self._blocks.append(_empty(self.block_rows, self.dimensions, self.precision))
        for block, offsets, positions in self._by_block(rows):
            block[offsets] = vectors[positions] if self.precision == "float32" else _tensor(vectors[positions])
        self._sequences[rows] = sequences
        # Readers do not take the lock: a row is published once its vector is written.
        self._ids[rows[new]] = claim_ids[new]
        self._rows[claim_ids[new]] = rows[new] + 1
        self._size = size

    def _by_block(self, rows: np.ndarray):
        """(block, offsets in it, positions in `rows`) for each block the rows fall in."""
        blocks = rows // self.block_rows
        for number in np.unique(blocks):
            positions = np.flatnonzero(blocks == number)
            offsets = rows[positions] % self.block_rows
            block = self._blocks[number]
            yield block, offsets if isinstance(block, np.ndarray) else _torch_index(offsets), positions

    def _row(self, claim_id: int) -> int | None:
        row = int(self._rows[claim_id]) - 1 if 0 <= claim_id < len(self._rows) else -1
        return row if row >= 0 else None

    def cosines(self, query: np.ndarray, claim_ids: Sequence[int]) -> list[float | None]:
        """The query's cosine with each claim's vector (None for a claim without one)."""
        rows = [self._row(claim_id) for claim_id in claim_ids]
        known = [row for row in rows if row is not None]
        values = iter(self._exact(np.array(known, dtype=np.int64), query) if known else ())
        return [float(next(values)) if row is not None else None for row in rows]

    def cosine(self, a: int, b: int) -> float | None:
        """Two stored claims' cosine (None when either has no vector here)."""
        row_a, row_b = self._row(a), self._row(b)
        if row_a is None or row_b is None:
            return None
        first, second = self._float32_rows(np.array([row_a, row_b]))
        return float(first @ second)

    def nearest(self, queries: np.ndarray, limit: int, exclude: Sequence[frozenset[int]] | None = None,
                min_cosine: float = -1.0) -> list[list[tuple[int, float]]]:
        """Per query vector, the `limit` claims of highest cosine (at least min_cosine), best
        first, leaving out the claims its `exclude` names."""
        if limit <= 0 or self._size == 0 or not len(queries):
            return [[] for _ in range(len(queries))]
        size = self._size
        # (queries, claims): one matrix product a block
        scores = np.concatenate([_products(block[:min(self.block_rows, size - first)], queries)
                                 for block, first in zip(self._blocks, range(0, size, self.block_rows))], axis=1)
        ids = self._ids[:size]
        answers = []
        for position, row in enumerate(scores):
            left_out = exclude[position] if exclude else frozenset()
            wanted = min(limit + len(left_out), size)
            # bfloat16 products are rounded to ~3 digits: take more, and order those by exact cosines.
            pool = wanted if self.precision == "float32" else min(2 * wanted + 16, size)
            top = np.argpartition(-row, pool - 1)[:pool] if pool < size else np.arange(size)
            exact = row[top] if self.precision == "float32" else self._exact(top, queries[position])
            order = np.argsort(-exact, kind="stable")[:wanted]
            found = [(int(ids[top[i]]), float(exact[i])) for i in order if exact[i] >= min_cosine]
            answers.append([(claim_id, score) for claim_id, score in found if claim_id not in left_out][:limit])
        return answers

    def _exact(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """float32 cosines of some rows with a query (bfloat16 rows widened first)."""
        return self._float32_rows(rows) @ query

    def _float32_rows(self, rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows), self.dimensions), dtype=np.float32)
        for block, offsets, positions in self._by_block(rows):
            out[positions] = _as_float32(block[offsets])
        return out


def _grown(array: np.ndarray, needed: int) -> np.ndarray:
    grown = np.zeros(max(needed, 2 * len(array), 1024), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def _empty(rows: int, dimensions: int, precision: str):
    """A block whose rows are written before they are read: no memory is touched until then."""
    if precision == "float32":
        return np.empty((rows, dimensions), dtype=np.float32)
    import torch

    return torch.empty((rows, dimensions), dtype=torch.bfloat16)


def _torch_index(offsets: np.ndarray):
    import torch

    return torch.from_numpy(offsets)


def _tensor(vectors: np.ndarray):
    import torch

    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if not array.flags.writeable:  # a vector read from the database's bytes: torch wants its own
        array = array.copy()
    return torch.from_numpy(array).to(torch.bfloat16)


def _as_float32(rows) -> np.ndarray:
    return rows if isinstance(rows, np.ndarray) else rows.float().numpy()


def _products(matrix, queries: np.ndarray) -> np.ndarray:
    """(queries, rows) dot products of float32 query vectors with the matrix's rows, as float32
    (computed, and for bfloat16 rounded, in the matrix's precision)."""
    if isinstance(matrix, np.ndarray):
        return queries @ matrix.T
    import torch

    query = _tensor(queries)
    # One query: a matrix-vector product, which torch runs faster than the same as a matrix product.
    out = torch.mv(matrix, query[0])[None, :] if len(query) == 1 else query @ matrix.T
    return out.float().numpy()
