"""A query's best claims by BM25 without reading its longest posting lists, when they cannot
change the answer (the MaxScore bound of Turtle and Flood, 1995).

At a million claims a term held by 3% of them has 30,000 postings, and summing every posting
of every query term took a `match` ~150 ms. Here the rare terms rank a pool of claims first;
the common terms' weights are then read for that pool alone. A claim outside the pool scores
at most the pool's lowest rare-term score plus the most the common terms can add (each term's
idf times the largest weight a posting can have, k1 + 1): when the limit-th best of the pool
beats that, the pool's order is the exact answer. Otherwise the caller runs the full query.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from factcheck.matching.analysis import K1

COMMON_SHARE = 0.03  # a term is common when held by more than this share of the claims...
COMMON_MIN_DF = 10_000  # ...and by more than this many (below it, reading them costs little)
POOL = 8  # the rare terms' pool: this many times the answer's length

Ranked = list[tuple[int, float]]


def ranked_skipping_common(terms: Sequence[tuple[int, float, int]], n_claims: int, limit: int,
                           rank: Callable[[Sequence[tuple[int, float]], int], Ranked],
                           weights: Callable[[Sequence[int], Sequence[int]], Sequence[tuple[int, int, float]]],
                           ) -> Ranked | None:
    """The `limit` best claims holding any of `terms` ((term id, idf, df)), best first (ties by
    claim id), as the full query ranks them; None when the bound does not hold (or no term is
    common, or every term is), and the caller must run the full query.

    rank(terms, n): the n best claims by the (term id, idf) terms' summed weights;
    weights(term ids, claim ids): (claim id, term id, posting weight) of those claims' postings.
    """
    common_df = max(COMMON_SHARE * n_claims, COMMON_MIN_DF)
    common = {term_id: idf for term_id, idf, df in terms if df > common_df}
    rare = [(term_id, idf) for term_id, idf, df in terms if df <= common_df]
    if not common or not rare or limit <= 0:
        return None
    pool_size = POOL * limit
    pool = rank(rare, pool_size)
    scores = dict(pool)
    for claim_id, term_id, weight in weights(list(common), list(scores)):
        scores[claim_id] += weight * common[term_id]
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) < limit:
        return None  # claims holding only common terms might belong in the answer
    # A claim outside the pool: no rare term, or a rare-term score no higher than the pool's last.
    outside = (pool[-1][1] if len(pool) == pool_size else 0.0) + (K1 + 1.0) * sum(common.values())
    return ranked[:limit] if ranked[limit - 1][1] > outside else None
