"""The matcher: candidate retrieval through a ClaimIndex, then rapidfuzz rescoring."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process

from .analysis import K1, analyze, idf
from .decision import LinkDecision
from .index import CandidateQuery, ClaimIndex
from .scoring import LinkCandidate, Thresholds, prepare, score_prepared


@dataclass(frozen=True)
class Match:
    """A stored claim ranked for free text, best first.

    score: 0..1 ranking value, (1-w)*bm25/best_bm25_of_this_query + w*similarity/100, so the
      top match is near 1 whatever the query; use bm25_share/similarity to judge strength.
    bm25_share: 0..1, the claim's BM25 as a share of the most any claim could reach for
      this query (every query term, tf -> infinity): comparable across queries.
    similarity: 0..100, rapidfuzz token_sort_ratio of the two texts' cleaned words.
    cosine: -1..1, the two texts' sentence vectors' cosine (None without the dense stage);
      with it, score = (1-s)*the lexical score above + s*cosine.
    """

    claim_id: int
    score: float
    bm25_share: float = 0.0
    similarity: float = 0.0
    cosine: float | None = None


class DenseIndex(Protocol):
    """The dense stage: texts as unit vectors, and the stored claims nearest to them."""

    def search(self, texts: Sequence[str], *, query: bool, limit: int, exclude: Sequence[frozenset[int]],
               min_cosine: float = -1.0) -> Future[tuple[np.ndarray, list[list[tuple[int, float]]]]]:
        """Begin encoding the texts and finding each one's `limit` nearest claims (at least
        min_cosine alike, leaving out those `exclude` names), to be answered while the matcher
        reads the words' candidates: the texts' unit vectors, and per text (id, cosine) best first."""

    def cosines(self, vector: np.ndarray, claim_ids: Sequence[int]) -> list[float | None]: ...

    def texts(self, claim_ids: Sequence[int]) -> Mapping[int, str]:
        """The claims' texts as written (the link decision compares their names)."""
        ...


@dataclass(frozen=True)
class MatcherSettings:
    """Retrieval knobs; defaults measured with bench/tune_matching.py."""

    # Linking: "at least 2 of the 8 rarest terms (df <= 1%), LIMIT 500" kept recall ~0.998 of
    # an exhaustive scan at 1M claims in ~10 ms in the shared notes (candidate-retrieval.md);
    # on our varied LIAR store it needed the top-up and the larger limit below.
    link_rare_terms: int = 8
    link_max_df_ratio: float = 0.01
    # Below ~10k claims 1% is a handful of documents; the scan is cheap there anyway.
    link_min_df_cap: int = 100
    link_min_match: int = 2
    # With fewer rare terms than this, "2 of 2" misses every copy that edited one of them:
    # topping up with the next rarest raised same-statement recall at 100k from 0.975 to
    # 1.000 for ~1 ms (bench/scale_linking.py).
    link_min_terms: int = 5
    # ... but never with terms this common: their posting lists are long at 1M claims, and
    # a claim made only of common words has no near-duplicate they would tell apart.
    link_fallback_max_df_ratio: float = 0.05
    # At 1M claims (scale_linking.py on SQLite, one run each; recall against an exhaustive
    # scan at the suggest threshold / p95 of linking one claim): 4 terms, LIMIT 500 and the
    # batched statement 0.9869 / 47 ms; the one-probe statement and LIMIT 1000 0.9884 /
    # 35 ms; then 5 terms 0.9942 / 44 ms, 6 terms 0.9942 / 56 ms.
    link_limit: int = 1000
    # Retrieval: BM25 top-N are rescored (20 and 100 gave the same MAP@5). Terms in more than
    # this share of claims are left out (long posting-list scans at 1M): 10% cost nothing on
    # CheckThat!, 2% cost 0.02 MAP@5, 1% cost 0.05.
    match_candidates: int = 50
    match_max_df_ratio: float = 0.1
    # Share of rapidfuzz similarity in the fused score; +0.001..0.002 MAP@5 over BM25 alone.
    fuzzy_weight: float = 0.2
    # With a dense stage: the cosine's share of a match's score, and the nearest claims by
    # meaning added to the words' candidates (for a match, and for a new claim's links, those
    # at least link_min_cosine alike).
    semantic_weight: float = 0.8
    dense_candidates: int = 50
    link_min_cosine: float = 0.5


class Matcher:
    """Near-duplicate linking and "has this been checked?" ranking over a ClaimIndex."""

    def __init__(
        self,
        index: ClaimIndex,
        thresholds: Thresholds | None = None,
        settings: MatcherSettings | None = None,
        k1: float = K1,
        dense: DenseIndex | None = None,
        decision: LinkDecision | None = None,
    ) -> None:
        self.index = index
        self.dense = dense
        # With the dense stage, links are scored by the fitted decision (scoring.score_prepared).
        self.decision = decision if dense is not None else None
        self.k1 = k1  # only for Match.bm25_share; the weights' k1 is fixed when claims are stored
        self.thresholds = thresholds or Thresholds()
        self.settings = settings or MatcherSettings()

    # --- near-duplicate linking ---
    def _corpus_size(self, dfs: Mapping[str, int]) -> int:
        # A concurrent writer can raise a df before the corpus count this index read: no
        # term is in more claims than there are, or idf would turn negative.
        return max(self.index.corpus_size(), max(dfs.values(), default=0), 1)

    def link_terms(self, text: str) -> tuple[dict[str, float], int]:
        """The (term -> idf) query and min_match that `link_candidates` sends to the index.

        Engine side: keep the k rarest existing terms with df <= max(1% of N, cap); if fewer
        than link_min_terms qualify, top up with the next rarest below the fallback cap, so
        that an edited word or a short text does not hide its near-duplicates.
        """
        s = self.settings
        terms = set(analyze(text))
        if not terms:
            return {}, 0
        dfs = self.index.document_frequencies(terms)
        n = self._corpus_size(dfs)
        by_rarity = sorted(dfs.items(), key=lambda item: (item[1], item[0]))
        max_df = max(s.link_max_df_ratio * n, s.link_min_df_cap)
        chosen = [item for item in by_rarity if item[1] <= max_df][: s.link_rare_terms]
        if len(chosen) < s.link_min_terms:
            fallback_max_df = max(s.link_fallback_max_df_ratio * n, s.link_min_df_cap)
            chosen = [item for item in by_rarity[: s.link_min_terms] if item[1] <= fallback_max_df]
        return {t: idf(df, n) for t, df in chosen}, min(s.link_min_match, len(chosen))

    def link_candidates(self, text: str, before: int | None = None) -> list[LinkCandidate]:
        """Stored claims that are near-duplicate wordings of `text`, best first.

        Only candidates scoring >= thresholds.suggest are returned; when the new claim is
        already stored, pass its id as `before` to link it only to the claims stored earlier.
        """
        return self.link_candidates_many([(text, before)])[0]

    def link_candidates_many(self, items: Sequence[tuple[str, int | None]],
                             exclude: Sequence[frozenset[int]] | None = None) -> list[list[LinkCandidate]]:
        """link_candidates for each (text, before), asking the index once for all of them;
        `exclude` names, per item, claims to leave out (the claim itself and its batch's later ones)."""
        exclude = exclude or [frozenset()] * len(items)
        searching = (self.dense.search([text for text, _ in items], query=False, limit=self.settings.dense_candidates,
                                       exclude=exclude, min_cosine=self.settings.link_min_cosine)
                     if self.dense is not None else None)
        queries = []
        for (text, before), left_out in zip(items, exclude):
            term_idf, min_match = self.link_terms(text)
            queries.append(CandidateQuery(term_idf, min_match, self.settings.link_limit, before, left_out)
                           if term_idf else None)
        asked = [query for query in queries if query is not None]
        answers = iter(self.index.ranked_candidates_many(asked) if asked else [])
        ranked = [[claim_id for claim_id, _ in next(answers)] if query is not None else [] for query in queries]
        cosines: list[dict[int, float] | None] = [None] * len(items)
        if searching is not None:
            ranked, found_cosines = self._with_dense(items, ranked, *searching.result())
            if self.decision is not None:
                cosines = found_cosines
        texts = self.index.link_texts({claim_id for found in ranked for claim_id in found})
        raw = self.dense.texts(list(texts)) if self.decision is not None and self.decision.uses_raw_texts else None
        return [score_prepared(prepare(text), {claim_id: texts[claim_id] for claim_id in found if claim_id in texts},
                               self.thresholds, cosines=cosine, decision=self.decision,
                               raw_query=text if raw is not None else None, raw_candidates=raw)
                for (text, _), found, cosine in zip(items, ranked, cosines)]

    def _with_dense(self, items: Sequence[tuple[str, int | None]], ranked: list[list[int]], vectors: np.ndarray,
                    nearest: list[list[tuple[int, float]]]) -> tuple[list[list[int]], list[dict[int, float]]]:
        """The words' candidates of each item joined by its nearest claims by meaning, with
        every candidate's cosine."""
        joined, cosines = [], []
        for (_, before), vector, lexical, dense in zip(items, vectors, ranked, nearest):
            ids = list(dict.fromkeys(lexical + [claim_id for claim_id, _ in dense
                                                if before is None or claim_id < before]))
            joined.append(ids)
            cosines.append({claim_id: cosine for claim_id, cosine in zip(ids, self.dense.cosines(vector, ids))
                            if cosine is not None})
        return joined, cosines

    # --- retrieval ---
    def match_terms(self, text: str) -> dict[str, float]:
        """The (term -> idf) that `match` sends; a term repeated in the query counts once
        (weighting by query tf lowered MAP@5 by 0.004)."""
        dfs = self.index.document_frequencies(set(analyze(text)))
        n = self._corpus_size(dfs)
        common = self.settings.match_max_df_ratio * n
        kept = {t: df for t, df in dfs.items() if df <= common} or dfs
        return {t: idf(df, n) for t, df in kept.items()}

    def match(self, text: str, limit: int = 5) -> list[Match]:
        """Stored claims ranked for free text (e.g. a tweet), best first, at most `limit`."""
        return self.match_many([text], limit)[0]

    def match_many(self, texts: Sequence[str], limit: int = 5) -> list[list[Match]]:
        """`match` for each text: the dense stage encodes them in one batch and ranks them
        against the stored vectors in one matrix product (an article's sentences, say), while
        the words' candidates are read."""
        if limit <= 0 or not texts:
            return [[] for _ in texts]
        searching = (self.dense.search(list(texts), query=True, limit=max(limit, self.settings.dense_candidates),
                                       exclude=[frozenset()] * len(texts)) if self.dense is not None else None)
        words = [self._words(text, limit) for text in texts]  # while the dense stage searches
        vectors, nearest = searching.result() if searching is not None else ([None] * len(texts), [[]] * len(texts))
        return [self._ranked(text, limit, found, vector, dense)
                for text, found, vector, dense in zip(texts, words, vectors, nearest)]

    def _words(self, text: str, limit: int) -> tuple[dict[str, float], list[tuple[int, float]]]:
        """A text's match terms and its candidates by words, (claim id, BM25) best first."""
        term_idf, n_candidates = self.match_terms(text), max(limit, self.settings.match_candidates)
        return term_idf, (self.index.ranked_candidates(term_idf, 1, n_candidates) if term_idf else [])

    def _ranked(self, text: str, limit: int, words: tuple[dict[str, float], list[tuple[int, float]]],
                vector: np.ndarray | None, dense: list[tuple[int, float]]) -> list[Match]:
        """One text's candidates by words and its nearest claims by meaning, scored together."""
        s = self.settings
        term_idf, ranked = words
        bm25 = dict(ranked)
        texts = self.index.link_texts(list(dict.fromkeys([claim_id for claim_id, _ in ranked + dense])))
        ids = [claim_id for claim_id in dict.fromkeys(claim_id for claim_id, _ in ranked + dense) if claim_id in texts]
        if not ids:
            return []
        # Highest BM25 a claim could reach for this query (every term, tf -> infinity).
        ceiling = (self.k1 + 1.0) * sum(term_idf.values()) or 1.0
        best = (ranked[0][1] if ranked else 0.0) or 1.0
        similarity = self._similarity(text, [texts[claim_id] for claim_id in ids])
        cosines = self.dense.cosines(vector, ids) if vector is not None else [None] * len(ids)
        w, sw = s.fuzzy_weight, (s.semantic_weight if vector is not None else 0.0)
        scored = []
        for claim_id, sim, cosine in zip(ids, similarity, cosines):
            lexical = (1.0 - w) * bm25.get(claim_id, 0.0) / best + w * sim / 100.0
            score = (1.0 - sw) * lexical + sw * max(cosine or 0.0, 0.0)
            scored.append(Match(claim_id, score, min(bm25.get(claim_id, 0.0) / ceiling, 1.0), sim, cosine))
        scored.sort(key=lambda m: (-m.score, m.claim_id))
        return scored[:limit]

    @staticmethod
    def _similarity(text: str, prepared: list[str]) -> list[float]:
        # Relative BM25 plus token_sort on cleaned words (w=0.2) was the steadiest of the
        # rapidfuzz fusions tried (token_set, ratio, partial_ratio, RRF, stemmed terms): it
        # favours claims worded like the tweet as a whole; all moved MAP@5 by <= +-0.01.
        return [float(x) for x in process.cdist([prepare(text)], prepared, scorer=fuzz.token_sort_ratio)[0]]
