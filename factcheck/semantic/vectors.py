"""Claim vectors held in memory, ranked against query vectors by one matrix product."""
from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

import numpy as np


class VectorStore:
    """Unit vectors by claim id, in one contiguous matrix that grows by doubling.

    `precision` "float32" keeps a numpy matrix; "bfloat16" a torch one, for CPUs that
    multiply bfloat16 natively (the encoder's SEMANTIC_PRECISION=auto choice): half the
    memory, and a query's nearest 50 of 100,000 in about half float32's time (3.5 ms against
    6.5, docs/performance.md). Cosines come out as float32 either way, those of bfloat16 rows
    within ~0.001 of float32's.

    A claim given a new vector keeps its row; `loaded_upto` is the highest storage sequence
    number taken in, so that a caller can add only what was stored since.
    """

    def __init__(self, dimensions: int, capacity: int = 1024, precision: str = "float32"):
        if precision not in ("float32", "bfloat16"):
            raise ValueError(f"unknown vector precision {precision!r}")
        self.dimensions = dimensions
        self.precision = precision
        self._matrix = _zeros(capacity, dimensions, precision)
        self._ids = np.zeros(capacity, dtype=np.int64)
        self._row_of: dict[int, int] = {}
        self._size = 0
        self.loaded_upto = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._size

    def add(self, rows: Iterable[tuple[int, int, np.ndarray]]) -> None:
        """(sequence, claim id, vector) rows, in sequence order; a claim's later vector replaces its earlier."""
        with self._lock:
            for sequence, claim_id, vector in rows:
                row = self._row_of.get(claim_id)
                if row is None:
                    row = self._append_row(claim_id)
                self._matrix[row] = vector if self.precision == "float32" else _tensor(vector)
                self.loaded_upto = max(self.loaded_upto, sequence)

    def _append_row(self, claim_id: int) -> int:
        if self._size == len(self._ids):
            grown = 2 * len(self._ids)
            matrix = _zeros(grown, self.dimensions, self.precision)
            matrix[: self._size] = self._matrix[: self._size]
            self._matrix = matrix
            self._ids = np.resize(self._ids, grown)
        row, self._size = self._size, self._size + 1
        self._ids[row] = claim_id
        self._row_of[claim_id] = row
        return row

    def cosines(self, query: np.ndarray, claim_ids: Sequence[int]) -> list[float | None]:
        """The query's cosine with each claim's vector (None for a claim without one)."""
        rows = [self._row_of.get(claim_id) for claim_id in claim_ids]
        known = [row for row in rows if row is not None]
        values = iter(self._exact(np.array(known, dtype=np.intp), query) if known else ())
        return [float(next(values)) if row is not None else None for row in rows]

    def cosine(self, a: int, b: int) -> float | None:
        """Two stored claims' cosine (None when either has no vector here)."""
        row_a, row_b = self._row_of.get(a), self._row_of.get(b)
        if row_a is None or row_b is None:
            return None
        first, second = _as_float32(self._matrix[[row_a, row_b]])
        return float(first @ second)

    def nearest(self, queries: np.ndarray, limit: int, exclude: Sequence[frozenset[int]] | None = None,
                min_cosine: float = -1.0) -> list[list[tuple[int, float]]]:
        """Per query vector, the `limit` claims of highest cosine (at least min_cosine), best
        first, leaving out the claims its `exclude` names."""
        if limit <= 0 or self._size == 0 or not len(queries):
            return [[] for _ in range(len(queries))]
        size = self._size
        scores = _products(self._matrix[:size], queries)  # (queries, claims): one matrix product
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
        return _as_float32(self._matrix[rows]) @ query


def _zeros(rows: int, dimensions: int, precision: str):
    if precision == "float32":
        return np.zeros((rows, dimensions), dtype=np.float32)
    import torch

    return torch.zeros((rows, dimensions), dtype=torch.bfloat16)


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
