"""Tests for the fitted link decision: rewordings above look-alikes, its JSON, the lexical fallback."""
import json

import numpy as np
import pytest

from factcheck.matching import SCORER, Thresholds, prepare, score_prepared
from factcheck.matching.decision import FEATURES, LinkDecision, default_decision, feature_matrix
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
    assert set(decision.features) <= set(FEATURES)
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
