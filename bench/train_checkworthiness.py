"""Train the check-worthiness model on CheckThat! 2024 task 1 (English) and evaluate it.

    .venv/bin/python bench/train_checkworthiness.py [--data DIR] [--no-write]

Fits on train.tsv, chooses the regularisation, the embeddings' weight and the decision
threshold by F1 of the Yes class on dev.tsv, reports F1 on dev-test.tsv beside a TF-IDF +
logistic regression baseline fitted in the same run, and writes
factcheck/articles/checkworthiness.json (the model the product ships). Needs scikit-learn
(requirements-dev.txt) and the data in ../shared/data/checkworthiness (not shipped).
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.articles import worthiness
from factcheck.semantic import load_encoder

# ../shared beside the project (a worktree's project sits one level deeper).
DATA = next((p / "shared" / "data" / "checkworthiness" for p in ROOT.parents
             if (p / "shared" / "data" / "checkworthiness").exists()), ROOT.parent / "shared")


def read(path: Path) -> tuple[list[str], np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [r["Text"].strip() for r in rows], np.array([r["class_label"].strip() == "Yes" for r in rows])


def term_matrix(vocabulary: worthiness.Vocabulary, texts: list[str]) -> sparse.csr_matrix:
    rows, cols, values = [], [], []
    for i, text in enumerate(texts):
        for col, value in vocabulary.weights(text).items():
            rows.append(i), cols.append(col), values.append(value)
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary.index)))


def best_threshold(logits: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(logit threshold, F1) with the best F1 of the Yes class."""
    best = (0.0, -1.0)
    for threshold in np.unique(np.round(logits, 3)):
        f1 = f1_score(gold, logits >= threshold)
        if f1 > best[1]:
            best = (float(threshold), f1)
    return best


def fit(x_train, y_train, x_dev, y_dev, cs):
    """The model, threshold and dev F1 of the C with the best dev F1."""
    best = None
    for c in cs:
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x_train, y_train)
        threshold, f1 = best_threshold(model.decision_function(x_dev), y_dev)
        if best is None or f1 > best[2]:
            best = (model, threshold, f1, c)
    return best


def baseline(x_train, y_train, x_dev, y_dev, x_test, y_test) -> float:
    """F1 on dev-test of a plain logistic regression, its threshold chosen on dev."""
    model = LogisticRegression(max_iter=3000, class_weight="balanced").fit(x_train, y_train)
    threshold, _ = best_threshold(model.decision_function(x_dev), y_dev)
    return f1_score(y_test, model.decision_function(x_test) >= threshold)


def encode(encoder, texts: list[str], name: str) -> np.ndarray:
    cache = Path("/tmp") / f"checkworthiness-{name}-{len(texts)}.npy"
    if cache.exists():
        return np.load(cache)
    vectors = np.asarray(encoder.encode(texts), dtype=np.float64)
    np.save(cache, vectors)
    return vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-write", action="store_true", help="Evaluate only; keep the shipped model.")
    args = parser.parse_args()
    if not (args.data / "train.tsv").exists():
        sys.exit(f"The CheckThat! data is not at {args.data} (see ../shared/data/README.md).")
    (train, y_train), (dev, y_dev), (test, y_test) = (read(args.data / f) for f in
                                                      ("train.tsv", "dev.tsv", "dev-test.tsv"))
    print(f"train {len(train)} ({y_train.mean():.0%} Yes), dev {len(dev)}, dev-test {len(test)}")

    # The baselines: scikit-learn's TF-IDF + logistic regression, and MiniLM embeddings + logistic
    # regression, each with its threshold chosen on dev as ours is.
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    base_f1 = baseline(tfidf.fit_transform(train), y_train, tfidf.transform(dev), y_dev, tfidf.transform(test), y_test)

    started = time.perf_counter()
    encoder = load_encoder(worthiness.ENCODER)
    e_train, e_dev, e_test = (encode(encoder, t, n) for t, n in ((train, "train"), (dev, "dev"), (test, "test")))
    print(f"encoded {len(train) + len(dev) + len(test)} sentences in {time.perf_counter() - started:.0f} s")
    vocabulary = worthiness.Vocabulary.fit(train)
    t_train, t_dev, t_test = (term_matrix(vocabulary, t) for t in (train, dev, test))

    minilm_f1 = baseline(e_train, y_train, e_dev, y_dev, e_test, y_test)
    ngram_model, ngram_threshold, _, _ = fit(t_train, y_train, t_dev, y_dev, (0.5, 1, 2, 4, 8))
    ngram_f1 = f1_score(y_test, ngram_model.decision_function(t_test) >= ngram_threshold)
    best = None
    for alpha in (1.0, 2.0, 3.0):
        joined = [sparse.hstack([t, sparse.csr_matrix(e * alpha)]).tocsr()
                  for t, e in ((t_train, e_train), (t_dev, e_dev), (t_test, e_test))]
        model, threshold, dev_f1, c = fit(joined[0], y_train, joined[1], y_dev, (0.5, 1, 2, 4))
        print(f"  embeddings x{alpha}: C {c}, dev F1 {dev_f1:.3f}")
        if best is None or dev_f1 > best[2]:
            best = (model, threshold, dev_f1, c, alpha, joined[2])
    model, threshold, dev_f1, c, alpha, x_test = best
    full_f1 = f1_score(y_test, model.decision_function(x_test) >= threshold)

    print(f"F1 (Yes) on dev-test: baselines TF-IDF + LR {base_f1:.3f}, MiniLM + LR {minilm_f1:.3f} | ours: "
          f"MiniLM + n-grams {full_f1:.3f} (dev {dev_f1:.3f}, C {c}, x{alpha}), its n-gram head alone "
          f"{ngram_f1:.3f} (without embeddings) | ratio to TF-IDF + LR {full_f1 / base_f1:.2f}")
    if args.no_write:
        return
    n_terms = len(vocabulary.index)
    weights = model.coef_[0]
    full = {"terms": [round(float(w), 5) for w in weights[:n_terms]],
            "embedding": [round(float(w) * alpha, 6) for w in weights[n_terms:]],
            "bias": float(model.intercept_[0]), "threshold": threshold}
    ngrams = {"terms": [round(float(w), 5) for w in ngram_model.coef_[0]], "embedding": None,
              "bias": float(ngram_model.intercept_[0]), "threshold": ngram_threshold}
    about = {"data": "CLEF 2024 CheckThat! task 1 English: train, dev for selection",
             "dev_test_f1": {"full": round(full_f1, 4), "ngrams": round(ngram_f1, 4),
                             "tfidf_lr_baseline": round(base_f1, 4), "minilm_lr_baseline": round(minilm_f1, 4)}}
    worthiness.save(worthiness.MODEL_FILE, vocabulary, full, ngrams, about)
    print(f"wrote {worthiness.MODEL_FILE.relative_to(ROOT)} ({worthiness.MODEL_FILE.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
