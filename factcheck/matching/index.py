"""The narrow storage interface the matcher needs, and an in-memory implementation of it."""
from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .analysis import K1, B, analyze, term_weights
from .scoring import prepare


@dataclass(frozen=True)
class CandidateQuery:
    """The arguments of one ranked_candidates call."""

    term_idf: Mapping[str, float]
    min_match: int
    limit: int
    before: int | None = None
    exclude: frozenset[int] = frozenset()


@runtime_checkable
class ClaimIndex(Protocol):
    """What the matcher asks of claim storage; each method is one SQL query.

    Terms are the strings `analyze()` returns. Stored per claim: for each distinct term, the
    weight `term_weights()` gives (BM25's tf component, computed with the avgdl known at
    insert time), plus per term its document frequency, plus the claim's text.
    """

    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]:
        """df of each given term that occurs in at least one claim (others are left out)."""
        ...

    def corpus_size(self) -> int:
        """Number of claims indexed (may be cached / slightly stale)."""
        ...

    def average_length(self) -> float:
        """Average number of terms per claim (0.0 when empty; may be stale)."""
        ...

    def ranked_candidates(self, term_idf: Mapping[str, float], min_match: int, limit: int,
                          before: int | None = None, exclude: Collection[int] = frozenset(),
                          ) -> list[tuple[int, float]]:
        """Claims holding at least `min_match` distinct terms of `term_idf`, ranked by
        SUM(term_idf[term] * weight) over those terms, best first (ties: lower claim_id
        first), at most `limit`; only ids below `before` when given, and none of `exclude`
        (a new claim itself and the later claims of its batch)."""
        ...

    def ranked_candidates_many(self, queries: Sequence[CandidateQuery]) -> list[list[tuple[int, float]]]:
        """ranked_candidates for each query, in order: one round trip for a whole batch."""
        ...

    def link_texts(self, claim_ids: Collection[int]) -> Mapping[int, str]:
        """Each given claim's text as link scoring compares it (scoring.prepare), where the
        claim exists: prepared once when stored, not for every new claim it is a candidate of."""
        ...


class InMemoryClaimIndex:
    """Reference ClaimIndex kept in dicts: for tests, tuning and small deployments.

    Like the SQL store, `add` weights a claim with the avgdl of the claims already there
    (stale weights are part of the design); `add_many` uses the batch's avgdl, as a bulk
    import would. Not thread-safe: share one across threads only behind a lock.
    """

    def __init__(self, k1: float = K1, b: float = B) -> None:
        self.k1, self.b = k1, b
        self._postings: dict[str, dict[int, float]] = {}
        self._texts: dict[int, str] = {}
        self._lengths: dict[int, int] = {}
        self._total_terms = 0

    def __len__(self) -> int:
        return len(self._texts)

    def add(self, claim_id: int, text: str) -> None:
        self.add_many([(claim_id, text)])

    def add_many(self, items: Iterable[tuple[int, str]]) -> None:
        analysed = [(claim_id, text, analyze(text)) for claim_id, text in items]
        for claim_id, _, _ in analysed:
            if claim_id in self._texts:
                self.remove(claim_id)
        total = self._total_terms + sum(len(terms) for _, _, terms in analysed)
        count = len(self._texts) + len(analysed)
        avgdl = total / count if count else 0.0
        for claim_id, text, terms in analysed:
            self._texts[claim_id] = text
            self._lengths[claim_id] = len(terms)
            self._total_terms += len(terms)
            for term, weight in term_weights(terms, avgdl, self.k1, self.b).items():
                self._postings.setdefault(term, {})[claim_id] = weight

    def remove(self, claim_id: int) -> None:
        if claim_id not in self._texts:
            return
        for term in set(analyze(self._texts.pop(claim_id))):
            posting = self._postings.get(term)
            if posting is not None:
                posting.pop(claim_id, None)
                if not posting:
                    del self._postings[term]
        self._total_terms -= self._lengths.pop(claim_id)

    # --- ClaimIndex ---
    def document_frequencies(self, terms: Collection[str]) -> dict[str, int]:
        return {t: len(self._postings[t]) for t in set(terms) if t in self._postings}

    def corpus_size(self) -> int:
        return len(self._texts)

    def average_length(self) -> float:
        return self._total_terms / len(self._texts) if self._texts else 0.0

    def ranked_candidates(self, term_idf: Mapping[str, float], min_match: int, limit: int,
                          before: int | None = None, exclude: Collection[int] = frozenset(),
                          ) -> list[tuple[int, float]]:
        if limit <= 0:
            return []
        scores: dict[int, float] = {}
        hits: dict[int, int] = {}
        for term, weight_idf in term_idf.items():
            for claim_id, weight in self._postings.get(term, {}).items():
                scores[claim_id] = scores.get(claim_id, 0.0) + weight_idf * weight
                hits[claim_id] = hits.get(claim_id, 0) + 1
        eligible = (
            (claim_id, score)
            for claim_id, score in scores.items()
            if hits[claim_id] >= min_match and (before is None or claim_id < before) and claim_id not in exclude
        )
        return heapq.nsmallest(limit, eligible, key=lambda item: (-item[1], item[0]))

    def ranked_candidates_many(self, queries: Sequence[CandidateQuery]) -> list[list[tuple[int, float]]]:
        return [self.ranked_candidates(q.term_idf, q.min_match, q.limit, q.before, q.exclude) for q in queries]

    def link_texts(self, claim_ids: Collection[int]) -> dict[int, str]:
        return {i: prepare(self._texts[i]) for i in claim_ids if i in self._texts}

    def all_texts(self) -> dict[int, str]:
        """Every stored text (for exhaustive reference scans; not part of ClaimIndex)."""
        return dict(self._texts)
