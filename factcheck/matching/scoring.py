"""The guarded near-duplicate scorer and the exhaustive reference scan built on it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .analysis import words

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


# A negation or a number present on one side only flips or changes the claim ("X was not
# born in Y", "12 vs 122 detainees") while costing only a few points of string similarity.
_NEGATIONS = frozenset("not no never nor nobody nothing none neither cannot dont doesnt didnt isnt arent "
                       "wasnt werent wont wouldnt shouldnt couldnt cant hasnt havent hadnt".split())


_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty "
                          "forty fifty sixty seventy eighty ninety hundred thousand million billion trillion "
                          "first second third fourth fifth sixth seventh eighth ninth tenth half".split())


def _key_tokens(prepared: str) -> tuple[frozenset[str], frozenset[str]]:
    tokens = prepared.split()
    numbers = frozenset(t for t in tokens if t.isdigit() or t in _NUMBER_WORDS)
    return frozenset(t for t in tokens if t in _NEGATIONS), numbers


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
    query: str, candidates: Mapping[int, str], thresholds: Thresholds, workers: int = 1
) -> list[LinkCandidate]:
    """score_links for texts already prepared (a stored claim's link text)."""
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


def exhaustive_links(
    text: str, all_texts: Mapping[int, str], thresholds: Thresholds, workers: int = -1
) -> list[LinkCandidate]:
    """Reference: score `text` against every stored text (no candidate retrieval)."""
    return score_links(text, all_texts, thresholds, workers=workers)
