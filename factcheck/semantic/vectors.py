"""Claim vectors held in memory, ranked against query vectors by one matrix product."""
from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

import numpy as np


class VectorStore:
    """Unit vectors by claim id, in one contiguous float32 matrix that grows by doubling.

    A claim given a new vector keeps its row; `loaded_upto` is the highest storage sequence
    number taken in, so that a caller can add only what was stored since.
    """

    def __init__(self, dimensions: int, capacity: int = 1024):
        self.dimensions = dimensions
        self._matrix = np.zeros((capacity, dimensions), dtype=np.float32)
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
                self._matrix[row] = vector
                self.loaded_upto = max(self.loaded_upto, sequence)

    def _append_row(self, claim_id: int) -> int:
        if self._size == len(self._ids):
            grown = 2 * len(self._ids)
            self._matrix = np.resize(self._matrix, (grown, self.dimensions))
            self._ids = np.resize(self._ids, grown)
        row, self._size = self._size, self._size + 1
        self._ids[row] = claim_id
        self._row_of[claim_id] = row
        return row

    def cosines(self, query: np.ndarray, claim_ids: Sequence[int]) -> list[float | None]:
        """The query's cosine with each claim's vector (None for a claim without one)."""
        rows = [self._row_of.get(claim_id) for claim_id in claim_ids]
        known = [row for row in rows if row is not None]
        values = iter(self._matrix[known] @ query if known else ())
        return [float(next(values)) if row is not None else None for row in rows]

    def cosine(self, a: int, b: int) -> float | None:
        """Two stored claims' cosine (None when either has no vector here)."""
        row_a, row_b = self._row_of.get(a), self._row_of.get(b)
        return None if row_a is None or row_b is None else float(self._matrix[row_a] @ self._matrix[row_b])

    def nearest(self, queries: np.ndarray, limit: int, exclude: Sequence[frozenset[int]] | None = None,
                min_cosine: float = -1.0) -> list[list[tuple[int, float]]]:
        """Per query vector, the `limit` claims of highest cosine (at least min_cosine), best
        first, leaving out the claims its `exclude` names."""
        if limit <= 0 or self._size == 0 or not len(queries):
            return [[] for _ in range(len(queries))]
        size = self._size
        scores = queries @ self._matrix[:size].T  # (queries, claims): one BLAS call
        ids = self._ids[:size]
        answers = []
        for position, row in enumerate(scores):
            left_out = exclude[position] if exclude else frozenset()
            wanted = min(limit + len(left_out), size)
            top = np.argpartition(-row, wanted - 1)[:wanted] if wanted < size else np.arange(size)
            top = top[np.argsort(-row[top], kind="stable")]
            found = [(int(ids[i]), float(row[i])) for i in top if row[i] >= min_cosine]
            answers.append([(claim_id, score) for claim_id, score in found if claim_id not in left_out][:limit])
        return answers
