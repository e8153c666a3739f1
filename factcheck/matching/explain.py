"""What a link's score is made of, and why the engine left it for a person to decide."""
from rapidfuzz import fuzz

from .scoring import Thresholds, _key_tokens

# Reasons a pair at or above the suggest threshold was not auto-confirmed (link_status).
BELOW_AUTO = "below_auto_threshold"
SHORT_TEXT = "short_text"
NEGATION_DIFFERS = "negation_differs"
NUMBER_DIFFERS = "number_differs"
HELD_BACK = (BELOW_AUTO, SHORT_TEXT, NEGATION_DIFFERS, NUMBER_DIFFERS)


def score_parts(a_prepared: str, b_prepared: str) -> dict[str, float]:
    """The two ratios whose mean is the link score (scoring.SCORER), of prepared texts."""
    if not a_prepared or not b_prepared:
        return {"token_set_ratio": 0.0, "token_sort_ratio": 0.0}
    return {"token_set_ratio": round(fuzz.token_set_ratio(a_prepared, b_prepared), 2),
            "token_sort_ratio": round(fuzz.token_sort_ratio(a_prepared, b_prepared), 2)}


def held_back(a_prepared: str, b_prepared: str, score: float, thresholds: Thresholds) -> list[str]:
    """Why link_status would not auto-confirm this pair (empty when it would)."""
    reasons = []
    if score < thresholds.auto:
        reasons.append(BELOW_AUTO)
    if min(a_prepared.count(" "), b_prepared.count(" ")) + 1 < thresholds.min_words_auto:
        reasons.append(SHORT_TEXT)
    neg_a, num_a = _key_tokens(a_prepared)
    neg_b, num_b = _key_tokens(b_prepared)
    if bool(neg_a) != bool(neg_b):
        reasons.append(NEGATION_DIFFERS)
    if num_a != num_b:
        reasons.append(NUMBER_DIFFERS)
    return reasons
