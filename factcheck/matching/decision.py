"""The fitted link decision: lexical and semantic similarity with guards, as a calibrated probability."""
from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import FEATURES, GUARDS, add_guards, feature_matrix, similarities

# The decision's inputs (FEATURES, feature_matrix) are imported from here too.
__all__ = ["FEATURES", "TREES", "LinkDecision", "Trees", "default_decision", "feature_matrix"]
# Every decision names its links' scorer with this prefix and its version ("decision/v2").
SCORER_PREFIX = "decision/"
# What a decision's linear part may also weigh: its trees' summed leaves (a logit).
TREES = "trees"
DEFAULT_FILE = Path(__file__).with_name("link_decision.json")


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted regression trees over named FEATURES, as scikit-learn's
    HistGradientBoostingClassifier fits them (bench/fit_link_decision.py): a pair's logit is
    `baseline` plus the value of the leaf it reaches in each tree.

    Each tree is its nodes' parallel lists: `feature` (an index into `features`), `threshold`
    (a value <= it goes left), `left`, `right` (node indexes; a leaf points at itself) and
    `value` (a leaf's share of the logit). `decreasing` names the features the fit held the
    logit non-increasing in (monotonic constraints).
    """

    features: tuple[str, ...]
    baseline: float
    trees: tuple[Mapping[str, Sequence[float]], ...]
    decreasing: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if set(self.features) - set(FEATURES) or set(self.decreasing) - set(self.features) or not self.trees:
            raise ValueError("bad link decision: its trees need known features and at least one tree")
        sizes = [len(tree["value"]) for tree in self.trees]
        if any(len(tree[key]) != size for tree, size in zip(self.trees, sizes)
               for key in ("feature", "threshold", "left", "right")):
            raise ValueError("bad link decision: a tree's lists differ in length")
        # All trees' nodes in one array each, a tree's node numbers offset by the nodes before it.
        roots = np.cumsum([0, *sizes[:-1]])
        feature = np.concatenate([tree["feature"] for tree in self.trees]).astype(np.intp)
        left, right = ([np.asarray(tree[side], dtype=np.intp) + root for tree, root in zip(self.trees, roots)]
                       for side in ("left", "right"))
        if (feature < 0).any() or (feature >= len(self.features)).any() or any(
                ((side < root) | (side >= root + size)).any() for sides in (left, right)
                for side, root, size in zip(sides, roots, sizes)):
            raise ValueError("bad link decision: a tree's node points outside it")
        # children[2 * node + (x <= threshold)]: right, then left.
        children = np.empty(2 * len(feature), dtype=np.intp)
        children[0::2], children[1::2] = np.concatenate(right), np.concatenate(left)
        object.__setattr__(self, "_arrays", {
            "columns": np.array([FEATURES.index(name) for name in self.features], dtype=np.intp),
            "feature": feature, "children": children, "roots": roots.astype(np.intp),
            "threshold": np.concatenate([tree["threshold"] for tree in self.trees]).astype(np.float64),
            "value": np.concatenate([tree["value"] for tree in self.trees]).astype(np.float64),
            "depth": max(_depth(tree["left"], tree["right"]) for tree in self.trees)})

    def logits(self, features: np.ndarray) -> np.ndarray:
        """Each feature_matrix row's logit: every tree walked for every row at once."""
        a = self._arrays
        x = features[:, a["columns"]]
        node = np.broadcast_to(a["roots"], (len(x), len(a["roots"]))).copy()
        at = (np.arange(len(x)) * x.shape[1])[:, None]  # a row's first value in x.ravel()
        values = x.ravel()
        for _ in range(a["depth"]):  # a leaf is its own child: rows that reach one stay there
            left = values.take(at + a["feature"].take(node)) <= a["threshold"].take(node)
            node = a["children"].take(2 * node + left)
        return self.baseline + a["value"].take(node).sum(axis=1)

    @classmethod
    def from_estimator(cls, estimator, features: Sequence[str], decreasing: Sequence[str] = ()) -> Trees:
        """The trees of a fitted binary HistGradientBoostingClassifier over `features` (its columns),
        leaf values to 6 decimals, from its private `_predictors` and `_baseline_prediction`
        (scikit-learn 1.9, pinned for fitting; tests/unit/test_link_decision.py checks the walk)."""
        trees = []
        for (predictor,) in estimator._predictors:
            nodes = predictor.nodes
            leaf, index = nodes["is_leaf"].astype(bool), np.arange(len(nodes))
            trees.append({"feature": np.where(leaf, 0, nodes["feature_idx"]).tolist(),
                          "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).tolist(),
                          "left": np.where(leaf, index, nodes["left"]).tolist(),
                          "right": np.where(leaf, index, nodes["right"]).tolist(),
                          "value": np.where(leaf, nodes["value"], 0.0).round(6).tolist()})
        return cls(tuple(features), round(float(np.ravel(estimator._baseline_prediction)[0]), 6), tuple(trees),
                   tuple(decreasing))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "baseline": float(self.baseline),
                "decreasing": list(self.decreasing), "trees": [dict(tree) for tree in self.trees]}

    @classmethod
    def from_dict(cls, data: Mapping) -> Trees:
        trees = tuple({"feature": [int(v) for v in tree["feature"]],
                       "threshold": [float(v) for v in tree["threshold"]],
                       "left": [int(v) for v in tree["left"]], "right": [int(v) for v in tree["right"]],
                       "value": [float(v) for v in tree["value"]]} for tree in data["trees"])
        if not all(math.isfinite(v) for tree in trees for v in (*tree["threshold"], *tree["value"])):
            raise ValueError("bad link decision: a tree's thresholds and values must be finite")
        return cls(tuple(str(f) for f in data["features"]), float(data["baseline"]), trees,
                   tuple(str(f) for f in data.get("decreasing", ())))


def _depth(left: Sequence[int], right: Sequence[int]) -> int:
    """Steps from a tree's root (node 0) to its deepest leaf (a leaf is its own child)."""
    level, depth = [0], 0
    while True:
        level = [child for node in level for child in (left[node], right[node]) if child != node]
        if not level:
            return depth
        depth += 1
        if depth > len(left):
            raise ValueError("bad link decision: a tree's nodes form a cycle")


@dataclass(frozen=True)
class LinkDecision:
    """P(same claim) for a pair of texts: a logistic function of named FEATURES and, when the
    decision has `trees`, of their logit (the feature named TREES).

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
    trees: Trees | None = None

    def __post_init__(self) -> None:
        known = FEATURES + ((TREES,) if self.trees is not None else ())
        unknown = set(self.features) - set(known)
        if unknown or len(self.features) != len(self.coefficients):
            raise ValueError(f"bad link decision: unknown features {sorted(unknown)} or coefficient count")
        if not 0 <= self.suggest <= self.auto <= 100:
            raise ValueError("bad link decision: need 0 <= suggest <= auto <= 100")
        columns = np.array([FEATURES.index(name) if name != TREES else 0 for name in self.features], dtype=np.intp)
        object.__setattr__(self, "_columns", columns)
        object.__setattr__(self, "_trees_at", self.features.index(TREES) if TREES in self.features else None)
        object.__setattr__(self, "_weights", np.asarray(self.coefficients, dtype=np.float64))
        # The most the guards (each 0..1) can add to a pair's logit: what its other features
        # give plus this bounds its score. Trees keep the bound only when their fit held them
        # non-increasing in every guard they read and they weigh positively; otherwise none (inf).
        headroom = sum(max(w, 0.0) for name, w in zip(self.features, self.coefficients) if name in GUARDS)
        if self._trees_at is not None and (self.coefficients[self._trees_at] < 0 or not set(
                self.trees.features) & set(GUARDS) <= set(self.trees.decreasing)):
            headroom = math.inf
        object.__setattr__(self, "_guard_headroom", headroom)

    def design(self, features: np.ndarray) -> np.ndarray:
        """What the logistic part weighs, in `features`' order, for feature_matrix rows."""
        out = features[:, self._columns]
        if self._trees_at is not None:
            out[:, self._trees_at] = self.trees.logits(features)
        return out

    @property
    def scorer(self) -> str:
        """What a link scored by this decision records as its scorer."""
        return f"{SCORER_PREFIX}{self.version}"

    @property
    def uses_raw_texts(self) -> bool:
        """Whether it reads the texts as written (name_mismatch, post), not only link texts."""
        read = {*self.features, *(self.trees.features if self.trees is not None else ())}
        return bool(read & {"name_mismatch", "post"})

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(same claim) for each row of a feature_matrix."""
        return _sigmoid(self._logits(features))

    def _logits(self, features: np.ndarray) -> np.ndarray:
        return self.design(features) @ self._weights + self.intercept

    def scores(self, query: str, candidates: Sequence[str], cosines: Sequence[float], *, at_least: float = 0.0,
               raw_query: str | None = None, raw_candidates: Sequence[str] | None = None,
               workers: int = 1) -> np.ndarray:
        """Link scores 0..100 (100 x probability) of prepared texts; see feature_matrix.

        Scores of `at_least` or more are exact; a pair that could not reach it whatever its
        guards say is not weighed word by word, and scores below it.
        """
        features = similarities(query, candidates, cosines, workers, raw_query, raw_candidates)
        if not 0.0 < at_least < 100.0 or math.isinf(self._guard_headroom):
            add_guards(features, range(len(candidates)), query, candidates, raw_query, raw_candidates)
            return 100.0 * self.probabilities(features)
        floor = math.log(at_least / (100.0 - at_least)) - 1e-9  # the logit of at_least, rounding aside
        logits = self._logits(features)  # with the guards at 0: below the floor, a pair stays below it
        rows = np.flatnonzero(logits + self._guard_headroom >= floor)
        add_guards(features, rows, query, candidates, raw_query, raw_candidates)
        logits[rows] = self._logits(features[rows])
        return 100.0 * _sigmoid(logits)

    def to_dict(self) -> dict:
        out = {"version": self.version, "encoder": self.encoder, "features": list(self.features),
               "coefficients": [float(c) for c in self.coefficients], "intercept": float(self.intercept),
               "thresholds": {"suggest": self.suggest, "auto": self.auto}, "fit": dict(self.fit)}
        if self.trees is not None:
            out["trees"] = self.trees.to_dict()
        return out

    def to_json(self) -> str:
        """Indented JSON, each tree on a line of its own."""
        data = self.to_dict()
        if self.trees is None:
            return json.dumps(data, indent=1, sort_keys=True)
        trees, data["trees"]["trees"] = data["trees"]["trees"], "@TREES@"
        lines = ",\n   ".join(json.dumps(tree, sort_keys=True) for tree in trees)
        return json.dumps(data, indent=1, sort_keys=True).replace('"@TREES@"', f"[\n   {lines}\n  ]")

    @classmethod
    def from_dict(cls, data: Mapping) -> LinkDecision:
        try:
            coefficients = tuple(float(c) for c in data["coefficients"])
            if not all(math.isfinite(c) for c in coefficients):
                raise ValueError("bad link decision: coefficients must be finite")
            trees = Trees.from_dict(data["trees"]) if data.get("trees") is not None else None
            return cls(str(data["version"]), str(data["encoder"]), tuple(str(f) for f in data["features"]),
                       coefficients, float(data["intercept"]), float(data["thresholds"]["suggest"]),
                       float(data["thresholds"]["auto"]), dict(data.get("fit") or {}), trees)
        except (KeyError, TypeError, IndexError) as error:
            raise ValueError(f"bad link decision: {error!r}") from error

    @classmethod
    def from_json(cls, text: str) -> LinkDecision:
        return cls.from_dict(json.loads(text))


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0)))


@lru_cache(maxsize=1)
def default_decision() -> LinkDecision:
    """The decision shipped with the package (fitted by bench/fit_link_decision.py)."""
    return LinkDecision.from_json(DEFAULT_FILE.read_text(encoding="utf-8"))
