"""The fitted link decision: lexical and semantic similarity with guards, as a calibrated probability."""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from .guards import key_tokens, names, word_set

# Every decision names its links' scorer with this prefix and its version ("decision/v1").
SCORER_PREFIX = "decision/"
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
)
DEFAULT_FILE = Path(__file__).with_name("link_decision.json")
# The features that weigh each pair's words one by one, the costly part of feature_matrix.
_GUARDS = ("negation_one_side", "number_one_side", "number_mismatch", "date_differs", "name_mismatch")


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

    name_mismatch needs the raw texts (capitalisation); without them it is 0.
    """
    out = _similarities(query, candidates, cosines, workers)
    _add_guards(out, range(len(candidates)), query, candidates, raw_query, raw_candidates)
    return out


def _similarities(query: str, candidates: Sequence[str], cosines: Sequence[float], workers: int) -> np.ndarray:
    """feature_matrix without the _GUARDS (left 0): whole-text similarities, computed for all
    candidates at once."""
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
    empty = np.array([not query or not c for c in candidates])
    out[empty, :5] = 0.0  # an empty text is like nothing
    return out


def _add_guards(out: np.ndarray, rows: Iterable[int], query: str, candidates: Sequence[str],
                raw_query: str | None, raw_candidates: Sequence[str] | None) -> None:
    """Fill in the _GUARDS of `rows`."""
    named = raw_query is not None and raw_candidates is not None
    for row in rows:
        if query and candidates[row]:
            out[row, 6:10] = _guards(query, candidates[row])
        if named:
            out[row, 10] = _name_mismatch(raw_query, raw_candidates[row])


@dataclass(frozen=True)
class LinkDecision:
    """A frozen logistic regression over named FEATURES: P(same claim) for a pair of texts.

    `suggest` and `auto` are the thresholds (0..100, 100 x probability) chosen when it was
    fitted; `encoder` names the sentence model its cosines must come from.
    """

    version: str
    encoder: str
    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    suggest: float
    auto: float
    fit: Mapping[str, object] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        unknown = set(self.features) - set(FEATURES)
        if unknown or len(self.features) != len(self.coefficients):
            raise ValueError(f"bad link decision: unknown features {sorted(unknown)} or coefficient count")
        if not 0 <= self.suggest <= self.auto <= 100:
            raise ValueError("bad link decision: need 0 <= suggest <= auto <= 100")
        columns = np.array([FEATURES.index(name) for name in self.features], dtype=np.intp)
        object.__setattr__(self, "_columns", columns)
        object.__setattr__(self, "_weights", np.asarray(self.coefficients, dtype=np.float64))
        # The most the guards (each 0..1) can add to a pair's logit: what its other features
        # give plus this bounds its score.
        headroom = sum(max(w, 0.0) for name, w in zip(self.features, self.coefficients) if name in _GUARDS)
        object.__setattr__(self, "_guard_headroom", headroom)

    @property
    def scorer(self) -> str:
        """What a link scored by this decision records as its scorer."""
        return f"{SCORER_PREFIX}{self.version}"

    @property
    def uses_names(self) -> bool:
        return "name_mismatch" in self.features

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(same claim) for each row of a feature_matrix."""
        return 1.0 / (1.0 + np.exp(-np.clip(self._logits(features), -50.0, 50.0)))

    def _logits(self, features: np.ndarray) -> np.ndarray:
        return features[:, self._columns] @ self._weights + self.intercept

    def scores(self, query: str, candidates: Sequence[str], cosines: Sequence[float], *, at_least: float = 0.0,
               raw_query: str | None = None, raw_candidates: Sequence[str] | None = None,
               workers: int = 1) -> np.ndarray:
        """Link scores 0..100 (100 x probability) of prepared texts; see feature_matrix.

        Scores of `at_least` or more are exact; a pair that could not reach it whatever its
        guards say is not weighed word by word, and scores below it.
        """
        features = _similarities(query, candidates, cosines, workers)
        rows: Iterable[int] = range(len(candidates))
        if 0.0 < at_least < 100.0:
            floor = math.log(at_least / (100.0 - at_least)) - 1e-9  # the logit of at_least, rounding aside
            rows = np.flatnonzero(self._logits(features) + self._guard_headroom >= floor)
        _add_guards(features, rows, query, candidates, raw_query, raw_candidates)
        return 100.0 * self.probabilities(features)

    def to_dict(self) -> dict:
        return {"version": self.version, "encoder": self.encoder, "features": list(self.features),
                "coefficients": [float(c) for c in self.coefficients], "intercept": float(self.intercept),
                "thresholds": {"suggest": self.suggest, "auto": self.auto}, "fit": dict(self.fit)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping) -> LinkDecision:
        try:
            coefficients = tuple(float(c) for c in data["coefficients"])
            if not all(math.isfinite(c) for c in coefficients):
                raise ValueError("bad link decision: coefficients must be finite")
            return cls(str(data["version"]), str(data["encoder"]), tuple(str(f) for f in data["features"]),
                       coefficients, float(data["intercept"]), float(data["thresholds"]["suggest"]),
                       float(data["thresholds"]["auto"]), dict(data.get("fit") or {}))
        except (KeyError, TypeError) as error:
            raise ValueError(f"bad link decision: {error!r}") from error

    @classmethod
    def from_json(cls, text: str) -> LinkDecision:
        return cls.from_dict(json.loads(text))


@lru_cache(maxsize=1)
def default_decision() -> LinkDecision:
    """The decision shipped with the package (fitted by bench/fit_link_decision.py)."""
    return LinkDecision.from_json(DEFAULT_FILE.read_text(encoding="utf-8"))
