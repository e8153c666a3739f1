"""The guarded near-duplicate scorer and the exhaustive reference scan built on it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .analysis import words
from .decision import LinkDecision, default_decision
from .guards import key_tokens

# Stored with every link so a later change of scorer can tell which links to recompute.
SCORER = "mean(token_set,token_sort)/v1"


@dataclass(frozen=True)
class Thresholds:
    """Link score cut-offs (0..100): score >= auto -> confirmed, suggest <= score < auto ->
    suggested. A pair whose shorter text has fewer than `min_words_auto` words is at most
    suggested: short texts share their few words with too many different claims."""

    # Chosen with bench/tune_matching.py: on CheckThat! tweet->tweet and tweet->verified-claim
    # pairs precision was 0.99-1.00 from 70 up (0.93 at 60). Among 12.8k LIAR statements
    # (few true duplicates) pairs at 85-90 were often different claims (other person, other
    # figure), at >= 90 mostly the same claim reworded, so only >= 90 auto-confirms.
    suggest: float = 70.0
    auto: float = 90.0
    min_words_auto: int = 8

    def __post_init__(self) -> None:
        if not 0 <= self.suggest <= self.auto <= 100:
            raise ValueError("need 0 <= suggest <= auto <= 100")
        if self.min_words_auto < 0:
            raise ValueError("min_words_auto must be >= 0")


@lru_cache(maxsize=65_536)  # a stored claim is a candidate for many new ones
def prepare(text: str) -> str:
    """The form link scoring compares: cleaned, lower-cased words joined by single spaces.

    Stopwords are kept and nothing is stemmed: near-duplicates are judged on the wording.
    """
    return " ".join(words(text, keep_author=False))


def _key_tokens(prepared: str) -> tuple[frozenset[str], frozenset[str]]:
    negations, numbers, _ = key_tokens(prepared)
    return negations, numbers


def conflicting(a_prepared: str, b_prepared: str) -> bool:
    """True when the two prepared texts differ in their negations or their numbers."""
    neg_a, num_a = _key_tokens(a_prepared)
    neg_b, num_b = _key_tokens(b_prepared)
    return bool(neg_a) != bool(neg_b) or num_a != num_b


def _score_prepared(a: str, b: str) -> float:
    # token_set alone gives 100 whenever one word set contains the other; token_sort
    # penalises the words only one side has, so the mean keeps insertions/reorderings high
    # but pulls a short claim inside a long text down (a 4-word claim in a 20-word text
    # scores ~62 instead of 100).
    if not a or not b:
        return 0.0
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2.0


def link_score(a: str, b: str) -> float:
    """Near-duplicate score of two raw texts, 0..100 (symmetric; see SCORER)."""
    return _score_prepared(prepare(a), prepare(b))


def link_status(a: str, b: str, score: float, thresholds: Thresholds) -> str | None:
    """'confirmed', 'suggested' or None for two prepared texts (see `prepare`) with this score.

    Auto-confirmation also needs both texts to have min_words_auto words and no conflict
    (a negation or a number on one side only); such pairs are at most suggested.
    """
    if score < thresholds.suggest:
        return None
    if (
        score >= thresholds.auto
        and min(a.count(" "), b.count(" ")) + 1 >= thresholds.min_words_auto
        and not conflicting(a, b)
    ):
        return "confirmed"
    return "suggested"


@dataclass(frozen=True)
class LinkCandidate:
    """A stored claim scored as a near-duplicate of a new text; score is 0..100."""

    claim_id: int
    score: float
    scorer: str
    status: str  # 'confirmed' | 'suggested'


def score_links(
    text: str, candidates: Mapping[int, str], thresholds: Thresholds, workers: int = 1
) -> list[LinkCandidate]:
    """Score raw candidate texts against `text`; keep those >= suggest, best first."""
    return score_prepared(prepare(text), {i: prepare(t) for i, t in candidates.items()}, thresholds, workers)


def score_prepared(
    query: str, candidates: Mapping[int, str], thresholds: Thresholds, workers: int = 1, *,
    cosines: Mapping[int, float] | None = None, decision: LinkDecision | None = None,
    raw_query: str | None = None, raw_candidates: Mapping[int, str] | None = None,
) -> list[LinkCandidate]:
    """score_links for texts already prepared (a stored claim's link text).

    Without `cosines`, the lexical scorer (SCORER). With them (claim id -> cosine of the two
    texts' sentence vectors, from `decision.encoder`), the fitted link decision scores, 100 x
    P(same claim), named by its scorer (decision/<version>); candidates without a cosine are
    left out. `raw_query` and `raw_candidates` (the texts as written) give the decision the
    capitalised names it compares; without them that feature is 0.
    """
    if cosines is not None:
        return _decided(query, candidates, thresholds, workers, cosines, decision or default_decision(),
                        raw_query, raw_candidates)
    if not query or not candidates:
        return []
    ids = list(candidates)
    prepared = [candidates[i] for i in ids]
    # cdist runs both scorers over all choices in C (processor applied once, above).
    set_scores = process.cdist([query], prepared, scorer=fuzz.token_set_ratio, workers=workers)[0]
    sort_scores = process.cdist([query], prepared, scorer=fuzz.token_sort_ratio, workers=workers)[0]
    links = []
    for claim_id, choice, s_set, s_sort in zip(ids, prepared, set_scores, sort_scores):
        score = (float(s_set) + float(s_sort)) / 2.0 if choice else 0.0
        status = link_status(query, choice, score, thresholds)
        if status:
            links.append(LinkCandidate(claim_id, score, SCORER, status))
    links.sort(key=lambda link: (-link.score, link.claim_id))
    return links


def _decided(query: str, candidates: Mapping[int, str], thresholds: Thresholds, workers: int,
             cosines: Mapping[int, float], decision: LinkDecision, raw_query: str | None,
             raw_candidates: Mapping[int, str] | None) -> list[LinkCandidate]:
    ids = [i for i in candidates if i in cosines]
    if not query or not ids:
        return []
    prepared = [candidates[i] for i in ids]
    raw = None if raw_query is None or raw_candidates is None else [raw_candidates.get(i, "") for i in ids]
    scores = decision.scores(query, prepared, [cosines[i] for i in ids], at_least=thresholds.suggest,
                             raw_query=raw_query, raw_candidates=raw, workers=workers)
    links = []
    for claim_id, choice, score in zip(ids, prepared, scores.tolist()):
        # The decision weighs negations and numbers; a conflict still keeps a pair from auto-confirming,
        # as short texts do (it cost 5 of 545 held-out MRPC auto-links: docs/matching.md).
        if status := link_status(query, choice, score, thresholds):
            links.append(LinkCandidate(claim_id, score, decision.scorer, status))
    links.sort(key=lambda link: (-link.score, link.claim_id))
    return links


def exhaustive_links(
    text: str, all_texts: Mapping[int, str], thresholds: Thresholds, workers: int = -1
) -> list[LinkCandidate]:
    """Reference: score `text` against every stored text (no candidate retrieval)."""
    return score_links(text, all_texts, thresholds, workers=workers)
