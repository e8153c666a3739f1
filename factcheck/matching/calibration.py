"""Learning from a newsroom's decisions: precision per score band, thresholds, a warm-started refit."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .decision import LinkDecision


@dataclass(frozen=True)
class Band:
    """Links people decided whose score was in [low, high): how many, and the share confirmed."""

    low: float
    high: float
    confirmed: int
    rejected: int

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.rejected
        return self.confirmed / decided if decided else None


def bands(scores: Sequence[float], confirmed: Sequence[bool], width: float = 10.0) -> list[Band]:
    """Decided links by score band (0..100), lowest band first; empty bands left out."""
    out = []
    for low in np.arange(0.0, 100.0, width):
        high = low + width
        inside = [c for s, c in zip(scores, confirmed) if low <= s < high or (high >= 100 and s == 100)]
        if inside:
            out.append(Band(float(low), float(high), sum(inside), len(inside) - sum(inside)))
    return out


def thresholds_for(scores: Sequence[float], confirmed: Sequence[bool], precision: float = 0.97,
                   ) -> tuple[float | None, float | None]:
    """(suggest, auto) these decisions support: suggest at the best F1 of "score >= t", auto the
    lowest t above which at least `precision` were confirmed; None where no t qualifies."""
    s, y = np.asarray(scores, dtype=float), np.asarray(confirmed, dtype=bool)
    if not y.any():
        return None, None
    best, suggest, auto = -1.0, None, None
    for t in sorted(set(s.tolist())):
        chosen = s >= t
        tp = int((chosen & y).sum())
        p, r = tp / chosen.sum(), tp / y.sum()
        f1 = 2 * p * r / (p + r) if tp else 0.0
        if f1 > best:
            best, suggest = f1, t
        if auto is None and p >= precision:
            auto = t
    return suggest, auto


def log_loss(probabilities: np.ndarray, labels: np.ndarray) -> float:
    p, y = np.clip(probabilities, 1e-9, 1 - 1e-9), np.asarray(labels, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def refit(decision: LinkDecision, features: np.ndarray, labels: Sequence[bool], version: str,
          prior: float = 10.0, iterations: int = 25) -> LinkDecision:
    """The decision's logistic part refitted on (feature_matrix rows, confirmed?) by Newton's
    method, pulled towards its own coefficients with weight `prior` (a few decisions move it a
    little). Its trees, if any, are kept: their logit is one of the weighed features."""
    x = np.hstack([decision.design(features), np.ones((len(features), 1))])
    y = np.asarray(labels, dtype=float)
    start = np.array([*decision.coefficients, decision.intercept])

    def objective(w: np.ndarray) -> float:
        z = x @ w
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + prior / 2 * np.sum((w - start) ** 2))

    w = start.copy()
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -50, 50)))
        gradient = x.T @ (p - y) + prior * (w - start)
        hessian = (x * (p * (1 - p))[:, None]).T @ x + prior * np.eye(len(w))
        step, before = np.linalg.solve(hessian, gradient), objective(w)
        while objective(w - step) > before and np.abs(step).max() > 1e-10:
            step = step / 2  # Newton overshoots where the decisions are almost separable
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return replace(decision, version=version, coefficients=tuple(round(float(c), 6) for c in w[:-1]),
                   intercept=round(float(w[-1]), 6))
