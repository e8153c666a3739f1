"""Tests for the fitted link decision: rewordings above look-alikes, its JSON, the lexical fallback."""
import json
import math

import numpy as np
import pytest

from factcheck.matching import SCORER, Thresholds, prepare, score_prepared
from factcheck.matching.decision import FEATURES, TREES, LinkDecision, Trees, default_decision, feature_matrix
from factcheck.semantic import SemanticUnavailable, load_encoder

CLAIM = "The governor cut funding for public schools by 20 percent in March last year"
REWORDED = "In March last year the governor reduced funding for public schools by 20 percent"
LOOK_ALIKES = {
    "number": "The governor cut funding for public schools by 40 percent in March last year",
    "negation": "The governor did not cut funding for public schools by 20 percent in March last year",
    "actor": "The Mayor Bill Hanson cut funding for public schools by 20 percent in March last year",
}


def decide(query: str, candidates: dict[int, str], cosines: dict[int, float], thresholds=None):
    decision = default_decision()
    return score_prepared(prepare(query), {i: prepare(t) for i, t in candidates.items()},
                          thresholds or Thresholds(0, 100), cosines=cosines, raw_query=query,
                          raw_candidates=candidates, decision=decision)


@pytest.fixture(scope="module")
def encoder():
    try:
        return load_encoder(default_decision().encoder)
    except SemanticUnavailable as error:
        pytest.skip(str(error))


def test_shipped_decision_is_a_probability_with_its_thresholds():
    decision = default_decision()
    assert decision.scorer == f"decision/{decision.version}" and decision.scorer != SCORER
    assert 0 < decision.suggest < decision.auto < 100
    assert set(decision.features) <= {*FEATURES, TREES}
    scores = decision.scores(prepare(CLAIM), [prepare(CLAIM), prepare("Vaccines cause autism")], [1.0, 0.05])
    assert scores[0] > decision.auto and scores[1] < decision.suggest
    assert np.all((scores >= 0) & (scores <= 100))


@pytest.mark.parametrize("kind", sorted(LOOK_ALIKES))
def test_each_guard_lowers_the_score_of_an_otherwise_equal_pair(kind):
    """With the same cosine, another number, a negation or another actor costs probability."""
    [same] = decide(CLAIM, {1: CLAIM}, {1: 0.95})
    [other] = decide(CLAIM, {2: LOOK_ALIKES[kind]}, {2: 0.95})
    assert other.score < same.score


@pytest.mark.parametrize("kind", sorted(LOOK_ALIKES))
def test_a_rewording_scores_above_a_look_alike_by_meaning(encoder, kind):
    texts = {1: REWORDED, 2: LOOK_ALIKES[kind]}
    vectors = encoder.encode([CLAIM, REWORDED, LOOK_ALIKES[kind]])
    links = decide(CLAIM, texts, {1: float(vectors[0] @ vectors[1]), 2: float(vectors[0] @ vectors[2])})
    scores = {link.claim_id: link.score for link in links}
    assert scores[1] > scores[2]
    assert scores[1] >= default_decision().suggest


def test_a_look_alike_is_not_auto_confirmed_where_the_lexical_scorer_would_suggest_it(encoder):
    look_alike = LOOK_ALIKES["actor"]
    vectors = encoder.encode([CLAIM, look_alike])
    decision = default_decision()
    [link] = decide(CLAIM, {1: look_alike}, {1: float(vectors[0] @ vectors[1])},
                    Thresholds(0, decision.auto))
    assert link.status == "suggested" and link.scorer == decision.scorer


def test_pairs_that_cannot_reach_the_floor_skip_the_guards_and_the_rest_score_exactly():
    decision = default_decision()
    texts = [REWORDED, *LOOK_ALIKES.values(), "Vaccines cause autism", "The governor cut 20 percent in May 2019"]
    cosines = [0.93, 0.95, 0.9, 0.91, 0.05, 0.45]
    query, prepared = prepare(CLAIM), [prepare(t) for t in texts]
    exact = decision.scores(query, prepared, cosines, raw_query=CLAIM, raw_candidates=texts)
    floored = decision.scores(query, prepared, cosines, at_least=decision.suggest, raw_query=CLAIM,
                              raw_candidates=texts)
    kept = exact >= decision.suggest
    assert kept.any() and not kept.all()
    assert np.array_equal(floored[kept], exact[kept])
    assert (floored[~kept] < decision.suggest).all()
    full = feature_matrix(query, prepared, cosines, raw_query=CLAIM, raw_candidates=texts)
    assert np.array_equal(exact, 100.0 * decision.probabilities(full))


def test_json_round_trip_keeps_the_scores():
    decision = default_decision()
    again = LinkDecision.from_json(decision.to_json())
    assert again == decision and again.fit == decision.fit
    features = feature_matrix(prepare(CLAIM), [prepare(REWORDED), prepare(LOOK_ALIKES["number"])], [0.8, 0.9],
                              raw_query=CLAIM, raw_candidates=[REWORDED, LOOK_ALIKES["number"]])
    assert np.array_equal(again.probabilities(features), decision.probabilities(features))
    data = json.loads(decision.to_json())
    assert data["version"] == decision.version and len(data["coefficients"]) == len(data["features"])


@pytest.mark.parametrize("change", [
    {"features": ["token_set", "no_such_feature"], "coefficients": [1.0, 2.0]},
    {"coefficients": [1.0]},
    {"thresholds": {"suggest": 90, "auto": 50}},
    {"coefficients": None},
])
def test_bad_json_is_refused(change):
    data = {**default_decision().to_dict(), **change}
    with pytest.raises(ValueError):
        LinkDecision.from_dict(data)


def test_without_cosines_the_lexical_scorer_is_unchanged():
    query = prepare(CLAIM)
    candidates = {1: prepare(CLAIM + "."), 2: prepare(LOOK_ALIKES["number"]), 3: prepare("Vaccines cause autism")}
    links = score_prepared(query, candidates, Thresholds(70, 90))
    assert [(x.claim_id, x.status, x.scorer) for x in links] == [(1, "confirmed", SCORER), (2, "suggested", SCORER)]
    assert links[0].score == 100
    assert score_prepared(query, candidates, Thresholds(70, 90), cosines=None) == links


def test_candidates_without_a_cosine_are_left_out_and_short_texts_never_auto_confirm():
    links = decide("Obama is a Muslim", {1: "Obama is a Muslim", 2: "Obama is a Christian"}, {1: 1.0})
    assert [(x.claim_id, x.status) for x in links] == [(1, "suggested")]
    assert decide("", {1: CLAIM}, {1: 1.0}) == [] and decide(CLAIM, {}, {}) == []


def _fitted_trees(decreasing=("negation_one_side",)):
    """Trees scikit-learn fits on made-up pairs, and the rows they were fitted on."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(3)
    x = rng.random((600, len(FEATURES)))
    x[:, FEATURES.index("negation_one_side")] = rng.random(600) < 0.2
    y = (x[:, FEATURES.index("cosine")] + 0.3 * rng.random(600) > 0.8) & (x[:, FEATURES.index("negation_one_side")] == 0)
    names = ["cosine", "token_set", "negation_one_side"]
    estimator = HistGradientBoostingClassifier(max_iter=30, max_depth=3, random_state=0, monotonic_cst=[
        -1 if name in decreasing else 0 for name in names])
    estimator.fit(x[:, [FEATURES.index(name) for name in names]], y)
    return Trees.from_estimator(estimator, names, decreasing), estimator, x, names


def test_trees_walked_in_numpy_agree_with_scikit_learn():
    trees, estimator, x, names = _fitted_trees()
    expected = estimator.decision_function(x[:, [FEATURES.index(name) for name in names]])
    assert np.allclose(trees.logits(x), expected, atol=1e-4)
    again = Trees.from_dict(json.loads(json.dumps(trees.to_dict())))
    assert np.array_equal(again.logits(x), trees.logits(x))


def test_trees_not_held_decreasing_in_the_guards_score_every_pair_in_full():
    """The floor's shortcut is exact only for trees that a guard can only lower: others weigh
    every pair's guards."""
    texts = [REWORDED, *LOOK_ALIKES.values(), "Vaccines cause autism"]
    query, prepared = prepare(CLAIM), [prepare(t) for t in texts]
    cosines = [0.93, 0.95, 0.9, 0.91, 0.05]
    for decreasing in (("negation_one_side",), ()):
        trees, *_ = _fitted_trees(decreasing)
        decision = LinkDecision("t", "all-MiniLM-L6-v2", (TREES,), (1.0,), 0.0, 50.0, 90.0, trees=trees)
        exact = decision.scores(query, prepared, cosines, raw_query=CLAIM, raw_candidates=texts)
        floored = decision.scores(query, prepared, cosines, at_least=50.0, raw_query=CLAIM, raw_candidates=texts)
        kept = exact >= 50.0
        assert np.array_equal(floored[kept], exact[kept]) and (floored[~kept] < 50.0).all()
        assert math.isinf(decision._guard_headroom) == (not decreasing)


@pytest.mark.parametrize("change", [
    {"feature": [5, 0, 0]},  # a feature the trees do not read
    {"left": [1, 7, 2]},  # a node outside the tree
    {"left": [1, 0, 2], "right": [2, 1, 0]},  # a cycle
    {"threshold": [float("nan"), 0.0, 0.0]},
    {"value": [0.0, 1.0]},  # lists of different lengths
])
def test_bad_trees_are_refused(change):
    tree = {"feature": [0, 0, 0], "threshold": [0.5, 0.0, 0.0], "left": [1, 1, 2], "right": [2, 1, 2],
            "value": [0.0, -1.0, 1.0]}
    data = {**default_decision().to_dict(), "trees": {"features": ["cosine"], "baseline": 0.0,
                                                      "trees": [{**tree, **change}]}}
    with pytest.raises(ValueError):
        LinkDecision.from_dict(data)
    assert LinkDecision.from_dict({**data, "trees": {**data["trees"], "trees": [tree]}}).trees.logits(
        np.full((1, len(FEATURES)), 0.9))[0] == 1.0


def test_a_post_carrying_a_checked_claim_is_suggested_and_prose_on_its_topic_is_not(encoder):
    """A tweet that repeats a claim among its own words is judged as a post (its link, handle and
    trailer say so): linked for review. Another statement about the same subject is not."""
    post = ("Unbelievable. The governor cut school funding by 20 percent last March and nobody noticed "
            "#education https://t.co/x1 — Jane Doe (@janedoe) March 3, 2020")
    other = "The governor promised more money for public schools"
    texts = {1: post, 2: other}
    vectors = encoder.encode([CLAIM, post, other])
    features = feature_matrix(prepare(CLAIM), [prepare(post), prepare(other)], [0.8, 0.8], raw_query=CLAIM,
                              raw_candidates=[post, other])
    assert features[:, FEATURES.index("post")].tolist() == [1.0, 0.0]
    links = decide(CLAIM, texts, {1: float(vectors[0] @ vectors[1]), 2: float(vectors[0] @ vectors[2])})
    scores = {link.claim_id: link.score for link in links}
    assert scores[1] >= default_decision().suggest > scores[2]
