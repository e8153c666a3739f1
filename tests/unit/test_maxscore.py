"""Skipping the common terms' postings (MaxScore): the same answer as summing every posting,
or no answer (the caller then sums every posting)."""
import random

import pytest

from factcheck.matching import maxscore
from factcheck.matching.analysis import K1


def corpus(seed: int, claims: int = 400):
    """Postings {(claim, term): weight}: terms 0-2 in most claims, terms 3-29 in few."""
    rng = random.Random(seed)
    postings = {}
    for claim in range(1, claims + 1):
        for term in range(30):
            if rng.random() < (0.6 if term < 3 else 0.03):
                postings[claim, term] = rng.uniform(0.3, K1 + 1.0)
    df = {term: sum(1 for _, t in postings if t == term) for term in range(30)}
    return postings, df


def full_ranking(postings, idf: dict[int, float], limit: int):
    scores = {}
    for (claim, term), weight in postings.items():
        if term in idf:
            scores[claim] = scores.get(claim, 0.0) + weight * idf[term]
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


def same(answer, expected) -> bool:
    return [c for c, _ in answer] == [c for c, _ in expected] and \
        [s for _, s in answer] == pytest.approx([s for _, s in expected])  # sums in another order


def skipping(postings, df, idf, limit, calls):
    def rank(terms, n):
        calls.append([term for term, _ in terms])
        return full_ranking(postings, dict(terms), n)

    def weights(term_ids, claim_ids):
        wanted = set(claim_ids)
        return [(claim, term, w) for (claim, term), w in postings.items() if term in term_ids and claim in wanted]

    return maxscore.ranked_skipping_common([(t, w, df[t]) for t, w in idf.items()], 400, limit, rank, weights)


@pytest.fixture(autouse=True)
def small_corpus(monkeypatch):
    monkeypatch.setattr(maxscore, "COMMON_MIN_DF", 0)
    monkeypatch.setattr(maxscore, "COMMON_SHARE", 0.2)


@pytest.mark.parametrize("seed", range(20))
def test_an_answer_given_is_the_full_rankings(seed):
    postings, df = corpus(seed)
    rng = random.Random(100 + seed)
    idf = {term: (0.2 if term < 3 else rng.uniform(3.0, 6.0)) for term in (0, 1, *rng.sample(range(3, 30), 4))}
    calls = []
    answer = skipping(postings, df, idf, 5, calls)
    assert same(answer, full_ranking(postings, idf, 5))  # common terms this weak never change the answer
    assert calls == [[term for term in idf if term >= 3]]  # one query, over the rare terms only


@pytest.mark.parametrize("seed", range(20))
def test_no_answer_when_the_common_terms_could_change_it(seed):
    postings, df = corpus(seed)
    idf = {0: 5.0, 1: 5.0, 2: 5.0, 7: 1.0}  # common terms that outweigh the rare one
    answer = skipping(postings, df, idf, 5, [])
    assert answer is None or same(answer, full_ranking(postings, idf, 5))


def test_no_split_when_every_term_is_rare_or_every_term_common():
    postings, df = corpus(1)
    calls = []
    assert skipping(postings, df, {5: 3.0, 6: 3.0}, 5, calls) is None
    assert skipping(postings, df, {0: 1.0, 1: 1.0}, 5, calls) is None
    assert calls == []  # nothing read: the caller's full query answers
