"""What the link decision reads of a pair of texts: similarities, guards and what kind of text each is."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from .analysis import is_post
from .guards import key_tokens, names, word_set

# Every feature the decision can use, each 0..1 (a model names the ones it was fitted with).
FEATURES = (
    "token_set",  # rapidfuzz token_set_ratio / 100 of the prepared texts
    "token_sort",  # token_sort_ratio / 100
    "ratio",  # ratio / 100: word order and spelling as printed
    "cosine",  # the sentence vectors' cosine (SemanticModel's name in `encoder`)
    "cosine_x_lexical",  # cosine * mean(token_set, token_sort): both agree
    "length_ratio",  # shorter / longer, in words
    "negation_one_side",  # a negation on one side only
    "number_one_side",  # numbers on one side only
    "number_mismatch",  # both have numbers: share of them not on both sides
    "date_differs",  # named days or months that differ
    "name_mismatch",  # share of capitalised words (names) absent from the other text (raw texts only)
    "cosine_x_length",  # cosine * length_ratio: a short claim inside a long post is judged apart
    "token_set_x_length",  # token_set * length_ratio
    "post",  # either text reads as a social post (analysis.is_post; raw texts only): judged in its own regime
)
# The features that weigh each pair's words one by one, the costly part of feature_matrix.
GUARDS = ("negation_one_side", "number_one_side", "number_mismatch", "date_differs", "name_mismatch")


def _mismatch(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a ^ b) / len(a | b) if a and b else 0.0


def _guards(a: str, b: str) -> tuple[float, float, float, float]:
    neg_a, num_a, date_a = key_tokens(a)
    neg_b, num_b, date_b = key_tokens(b)
    return (float(bool(neg_a) != bool(neg_b)), float(bool(num_a) != bool(num_b)), _mismatch(num_a, num_b),
            float(date_a != date_b))


def _name_mismatch(raw_a: str, raw_b: str) -> float:
    names_a, names_b = names(raw_a), names(raw_b)
    if not names_a and not names_b:
        return 0.0
    missing = len(names_a - word_set(raw_b)) + len(names_b - word_set(raw_a))
    return missing / (len(names_a) + len(names_b))


def feature_matrix(query: str, candidates: Sequence[str], cosines: Sequence[float], *,
                   raw_query: str | None = None, raw_candidates: Sequence[str] | None = None,
                   workers: int = 1) -> np.ndarray:
    """(n, len(FEATURES)) features of prepared `query` against each prepared candidate.

    name_mismatch and post need the raw texts; without them they are 0.
    """
    out = similarities(query, candidates, cosines, workers, raw_query, raw_candidates)
    add_guards(out, range(len(candidates)), query, candidates, raw_query, raw_candidates)
    return out


def similarities(query: str, candidates: Sequence[str], cosines: Sequence[float], workers: int,
                  raw_query: str | None, raw_candidates: Sequence[str] | None) -> np.ndarray:
    """feature_matrix without the GUARDS (left 0): whole-text similarities and `post`, computed
    for all candidates at once."""
    out = np.zeros((len(candidates), len(FEATURES)), dtype=np.float64)
    if not candidates:
        return out
    for column, scorer in enumerate((fuzz.token_set_ratio, fuzz.token_sort_ratio, fuzz.ratio)):
        out[:, column] = process.cdist([query], candidates, scorer=scorer, workers=workers)[0] / 100.0
    out[:, 3] = np.clip(np.asarray(cosines, dtype=np.float64), -1.0, 1.0)
    out[:, 4] = out[:, 3] * (out[:, 0] + out[:, 1]) / 2.0
    words = query.count(" ") + 1
    out[:, 5] = [min(words, c.count(" ") + 1) / max(words, c.count(" ") + 1) if query and c else 0.0
                 for c in candidates]
    out[:, 11] = out[:, 3] * out[:, 5]
    out[:, 12] = out[:, 0] * out[:, 5]
    if raw_query is not None and raw_candidates is not None:
        out[:, 13] = 1.0 if _is_post(raw_query) else [_is_post(raw) for raw in raw_candidates]
    empty = np.array([not query or not c for c in candidates])
    out[empty, :5] = 0.0  # an empty text is like nothing
    return out


@lru_cache(maxsize=65_536)  # a stored claim is compared with many new ones
def _is_post(raw: str) -> float:
    return float(is_post(raw))


def add_guards(out: np.ndarray, rows: Iterable[int], query: str, candidates: Sequence[str],
                raw_query: str | None, raw_candidates: Sequence[str] | None) -> None:
    """Fill in the GUARDS of `rows`."""
    named = raw_query is not None and raw_candidates is not None
    for row in rows:
        if query and candidates[row]:
            out[row, 6:10] = _guards(query, candidates[row])
        if named:
            out[row, 10] = _name_mismatch(raw_query, raw_candidates[row])
