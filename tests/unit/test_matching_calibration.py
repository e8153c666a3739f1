"""Tests for learning the link decision from decisions: score bands, thresholds, the warm-started refit."""
import numpy as np

from factcheck.matching import FEATURES, default_decision
from factcheck.matching.calibration import bands, log_loss, refit, thresholds_for


def test_bands_count_each_decision_once_and_keep_100_in_the_top_band():
    found = bands([5, 12, 18, 95, 100, 100], [False, True, False, True, True, False])
    assert [(b.low, b.confirmed, b.rejected) for b in found] == [(0, 0, 1), (10, 1, 1), (90, 2, 1)]
    assert found[1].precision == 0.5


def test_thresholds_from_decisions():
    assert thresholds_for([40, 50, 60, 70, 80], [False, False, True, True, True]) == (60, 60)
    assert thresholds_for([40, 50, 60, 70, 80], [True, False, True, False, True]) == (40, 80)
    assert thresholds_for([40, 50], [False, False]) == (None, None)


def test_refit_starts_from_the_decision_and_a_strong_prior_keeps_it():
    decision = default_decision()
    rng = np.random.default_rng(1)
    features = rng.random((60, len(FEATURES)))
    labels = features[:, 0] > 0.5  # token_set decides, unlike the shipped decision
    loose, kept = refit(decision, features, labels, "v1+cal1", prior=0.1), refit(decision, features, labels, "x", 1e6)
    assert loose.scorer == "decision/v1+cal1" and loose.features == decision.features
    assert log_loss(loose.probabilities(features), labels) < log_loss(decision.probabilities(features), labels)
    assert np.allclose(kept.coefficients, decision.coefficients, atol=1e-3)
