"""Check-worthiness 0-1 of sentences: a linear model over sentence embeddings and word n-grams."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("checkworthiness.json")
ENCODER = "all-MiniLM-L6-v2"
_WORD = re.compile(r"\w\w+|\d")
_NUMBER = re.compile(r"\d")


def terms(text: str) -> list[str]:
    """Lower-cased words and word pairs, numbers folded to one token (a year is a year)."""
    words = ["0" if _NUMBER.match(word) else word for word in _WORD.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True)
class Vocabulary:
    """Term -> column, with each column's inverse document frequency."""

    index: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 2, max_terms: int = 30_000) -> Vocabulary:
        df = Counter(term for text in texts for term in set(terms(text)))
        kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))[:max_terms]
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in kept], dtype=np.float64)
        return cls({t: i for i, t in enumerate(kept)}, idf)

    def weights(self, text: str) -> dict[int, float]:
        """The text's sublinear tf-idf, l2-normalised, as column -> weight."""
        counts = Counter(self.index[t] for t in terms(text) if t in self.index)
        row = {col: (1 + math.log(n)) * self.idf[col] for col, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in row.values())) or 1.0
        return {col: v / norm for col, v in row.items()}


@dataclass(frozen=True)
class Head:
    """One logistic model: term weights, embedding weights (or none), bias; `threshold` is the
    logit that the dev set's best F1 chose, mapped to a score of 0.5."""

    terms: np.ndarray
    embedding: np.ndarray | None
    bias: float
    threshold: float

    def scores(self, rows: list[dict[int, float]], vectors: np.ndarray | None) -> list[float]:
        logits = np.array([sum(self.terms[c] * v for c, v in row.items()) for row in rows]) + self.bias
        if self.embedding is not None and vectors is not None:
            logits = logits + vectors @ self.embedding
        return [round(1 / (1 + math.exp(-(z - self.threshold))), 4) for z in logits]


@dataclass(frozen=True)
class Scorer:
    """Scores sentences with the embedding head, or the n-gram head alone when the encoder is
    unavailable (`model` says which answered)."""

    vocabulary: Vocabulary
    full: Head
    ngrams: Head

    def score(self, texts: Sequence[str], encoder=None) -> tuple[list[float], str]:
        rows = [self.vocabulary.weights(text) for text in texts]
        if encoder is not None and texts:
            vectors = np.asarray(encoder.encode(list(texts)), dtype=np.float64)
            return self.full.scores(rows, vectors), f"{ENCODER}+ngrams"
        return self.ngrams.scores(rows, None), "ngrams"


def _head(data: dict) -> Head:
    embedding = data.get("embedding")
    return Head(np.array(data["terms"], dtype=np.float64),
                None if embedding is None else np.array(embedding, dtype=np.float64),
                float(data["bias"]), float(data["threshold"]))


def save(path: Path, vocabulary: Vocabulary, full: dict, ngrams: dict, about: dict) -> None:
    """Write the model (heads as {"terms", "embedding", "bias", "threshold"}) as JSON."""
    terms_in_order = sorted(vocabulary.index, key=vocabulary.index.get)
    document = {"about": about, "encoder": ENCODER, "terms": terms_in_order,
                "idf": [round(float(v), 5) for v in vocabulary.idf], "full": full, "ngrams": ngrams}
    path.write_text(json.dumps(document, separators=(",", ":")))


def load(path: Path = MODEL_FILE) -> Scorer:
    data = json.loads(path.read_text())
    vocabulary = Vocabulary({t: i for i, t in enumerate(data["terms"])}, np.array(data["idf"]))
    return Scorer(vocabulary, _head(data["full"]), _head(data["ngrams"]))


@cache
def scorer() -> Scorer:
    """The shipped model, read once per process."""
    return load()
