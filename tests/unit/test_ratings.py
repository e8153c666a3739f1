"""Unit tests for factcheck.ratings (pure Python, no app needed)."""

import pytest

from factcheck import ratings
from factcheck.ratings import (
    CATEGORIES,
    RATING_TABLE,
    Normalised,
    is_false_side,
    is_true_side,
    normalise_rating,
    scale_for_site,
)

UNKNOWN = (None, "other", False)


def norm(label, **kwargs):
    result = normalise_rating(label, **kwargs)
    return result.score, result.category, result.known


# --- each scale's main labels -------------------------------------------------

@pytest.mark.parametrize("label, score, category", [
    ("True", 1.0, "true"),
    ("Mostly True", 0.75, "true"),
    ("Half True", 0.5, "mixed"),
    ("Mostly False", 0.25, "false"),
    ("False", 0.0, "false"),
    ("Pants on Fire", 0.0, "false"),
    ("Full Flop", None, "other"),
    ("Half Flip", None, "other"),
    ("No Flip", None, "other"),
])
def test_politifact(label, score, category):
    assert norm(label, publisher_site="politifact.com") == (score, category, True)


@pytest.mark.parametrize("label, score, category", [
    ("True", 1.0, "true"),
    ("Mostly True", 0.75, "true"),
    ("Mixture", 0.5, "mixed"),
    ("Mostly False", 0.25, "false"),
    ("False", 0.0, "false"),
    ("Unproven", None, "unverifiable"),
    ("Unfounded", None, "unverifiable"),
    ("Research In Progress", None, "unverifiable"),
    ("Outdated", None, "other"),
    ("Miscaptioned", None, "other"),
    ("Correct Attribution", None, "other"),
    ("Misattributed", None, "other"),
    ("Scam", None, "other"),
    ("Legend", None, "other"),
    ("Satire", None, "other"),
    ("Labeled Satire", None, "other"),
    ("Originated as Satire", None, "other"),
    ("Lost Legend", None, "other"),
])
def test_snopes(label, score, category):
    assert norm(label, publisher_site="snopes.com") == (score, category, True)


@pytest.mark.parametrize("label, score, category", [
    ("False", 0.0, "false"),
    ("Altered", 0.0, "false"),
    ("Partly False", 0.35, "mixed"),
    ("Missing Context", 0.35, "mixed"),
    ("Satire", None, "other"),
    ("True", 1.0, "true"),
])
def test_afp_meta(label, score, category):
    assert norm(label, publisher_site="factcheck.afp.com") == (score, category, True)


@pytest.mark.parametrize("label, score, category", [
    ("True", 1.0, "true"),
    ("Mostly True", 0.75, "true"),
    ("Somewhat True", 0.65, "mixed"),
    ("Mixture", 0.5, "mixed"),
    ("Somewhat False", 0.35, "mixed"),
    ("Misleading", 0.35, "mixed"),
    ("Mostly False", 0.25, "false"),
    ("False", 0.0, "false"),
    ("Unproven", None, "unverifiable"),
    ("Satire", None, "other"),
])
def test_aap(label, score, category):
    assert norm(label, publisher_site="aap.com.au") == (score, category, True)


@pytest.mark.parametrize("label, score, category", [
    ("Correct", 1.0, "true"),
    ("Incorrect", 0.0, "false"),
    ("Inaccurate", 0.0, "false"),
    ("Misleading", 0.35, "mixed"),
    ("Not quite right", 0.35, "mixed"),
    ("Needs context", 0.35, "mixed"),
    ("Exaggerated", 0.35, "mixed"),
    ("Unsupported", None, "unverifiable"),
    ("No evidence", None, "unverifiable"),
])
def test_full_fact(label, score, category):
    assert norm(label, publisher_site="fullfact.org") == (score, category, True)


@pytest.mark.parametrize("label, score, category", [
    ("Geppetto Checkmark", 1.0, "true"),
    ("One Pinocchio", 0.75, "true"),
    ("Two Pinocchios", 0.5, "mixed"),
    ("Three Pinocchios", 0.25, "false"),
    ("Four Pinocchios", 0.0, "false"),
    ("Bottomless Pinocchio", 0.0, "false"),
])
def test_washington_post(label, score, category):
    assert norm(label, publisher_site="washingtonpost.com") == (score, category, True)


@pytest.mark.parametrize("label, score, category", [
    ("true", 1.0, "true"),
    ("mostly-true", 0.75, "true"),
    ("half-true", 0.5, "mixed"),
    ("barely-true", 0.25, "false"),
    ("false", 0.0, "false"),
    ("pants-fire", 0.0, "false"),
])
def test_liar_labels_without_site(label, score, category):
    assert norm(label) == (score, category, True)


@pytest.mark.parametrize("label, score, category", [
    ("Accurate", 1.0, "true"),
    ("Inaccurate", 0.0, "false"),
    ("Partly true", 0.65, "mixed"),
    ("Partly false", 0.35, "mixed"),
    ("Unverified", None, "unverifiable"),
    ("Unverifiable", None, "unverifiable"),
    ("Disputed", None, "unverifiable"),
    ("Fake", 0.0, "false"),
    ("Hoax", 0.0, "false"),
    ("Fabricated", 0.0, "false"),
    ("Distorted", 0.25, "false"),
    ("Out of context", 0.35, "mixed"),
    ("Satire", None, "other"),
])
def test_generic_labels(label, score, category):
    assert norm(label) == (score, category, True)


# --- matching -----------------------------------------------------------------

@pytest.mark.parametrize("label", [
    "Pants on Fire", "pants on fire!", "Pants-on-Fire", "PANTS ON FIRE", "  pants   on\tfire. ",
    "Pants on Fire!",
])
def test_case_and_punctuation_insensitive(label):
    assert norm(label) == (0.0, "false", True)


def test_apostrophes_and_hyphens_ignored():
    assert norm("half-true") == norm("Half True") == norm("HALF TRUE!!")
    assert norm("Four-Pinocchios") == (0.0, "false", True)


# --- numeric ratings ----------------------------------------------------------

def test_numeric_one_to_five():
    assert norm("Verdict X", rating_value=5, best_rating=5, worst_rating=1) == (1.0, "true", True)
    assert norm("Verdict X", rating_value=4, best_rating=5, worst_rating=1) == (0.75, "true", True)
    assert norm("Verdict X", rating_value=3, best_rating=5, worst_rating=1) == (0.5, "mixed", True)
    assert norm("Verdict X", rating_value=2, best_rating=5, worst_rating=1) == (0.25, "false", True)
    assert norm("Verdict X", rating_value=1, best_rating=5, worst_rating=1) == (0.0, "false", True)


def test_numeric_zero_to_ten():
    score, category, known = norm("", rating_value=7, best_rating=10, worst_rating=0)
    assert score == pytest.approx(0.7)
    assert (category, known) == ("mixed", True)


def test_numeric_reversed_scale():
    # e.g. a 1..4 "Pinocchio count" where 1 is best and 4 is worst
    assert norm("Odd scale", rating_value=4, best_rating=1, worst_rating=4) == (0.0, "false", True)
    assert norm("Odd scale", rating_value=1, best_rating=1, worst_rating=4) == (1.0, "true", True)
    score, category, _ = norm("Odd scale", rating_value=2, best_rating=1, worst_rating=4)
    assert score == pytest.approx(2 / 3) and category == "mixed"


def test_numeric_value_outside_range_is_clamped():
    assert norm("Odd", rating_value=9, best_rating=5, worst_rating=1) == (1.0, "true", True)
    assert norm("Odd", rating_value=-3, best_rating=5, worst_rating=1) == (0.0, "false", True)


def test_numeric_best_equals_worst_falls_back_to_label():
    flat = {"rating_value": 3, "best_rating": 3, "worst_rating": 3}
    assert norm("Mostly False", **flat) == (0.25, "false", True)
    assert norm("Odd", **flat) == UNKNOWN
    assert norm("4/5", **flat) == (0.75, "true", True)


def test_numeric_needs_all_three_values():
    assert norm("Odd", rating_value=4, best_rating=5) == UNKNOWN
    assert norm("Odd", rating_value=4, worst_rating=1) == UNKNOWN
    assert norm("Odd", best_rating=5, worst_rating=1) == UNKNOWN


def test_numeric_rejects_non_finite_and_bool():
    assert norm("Odd", rating_value=float("nan"), best_rating=5, worst_rating=1) == UNKNOWN
    assert norm("Odd", rating_value=True, best_rating=5, worst_rating=1) == UNKNOWN


def test_known_label_wins_over_numbers():
    # documented conflict rule: the printed label decides score and category
    top = {"rating_value": 5, "best_rating": 5, "worst_rating": 1}
    assert norm("Pants on Fire", **top) == (0.0, "false", True)
    assert norm("Unproven", **top) == (None, "unverifiable", True)


def test_explicit_numbers_beat_fraction_label():
    assert norm("4/5", rating_value=1, best_rating=5, worst_rating=1) == (0.0, "false", True)


# --- "4/5"-style labels -------------------------------------------------------

@pytest.mark.parametrize("label, score, category", [
    ("4/5", 0.75, "true"),
    ("5/5", 1.0, "true"),
    ("3 / 5", 0.5, "mixed"),
    ("1/5", 0.0, "false"),
    ("0/5", 0.0, "false"),          # below schema.org's default worst (1): clamped
    ("2 out of 5", 0.25, "false"),
    ("2 OUT OF 5", 0.25, "false"),
    ("3 of 5", 0.5, "mixed"),
    ("10/10", 1.0, "true"),
    ("3.5/5", 0.625, "mixed"),
])
def test_fraction_labels(label, score, category):
    got_score, got_category, known = norm(label)
    assert got_score == pytest.approx(score)
    assert (got_category, known) == (category, True)


@pytest.mark.parametrize("label", ["6/5", "1/1", "24/7 nonsense", "4/5 stars maybe", "/5", "4/"])
def test_non_rating_fractions_are_unknown(label):
    assert norm(label) == UNKNOWN


# --- unknown labels -----------------------------------------------------------

@pytest.mark.parametrize("label", ["Lie of the Year", "Totally bogus", "", "!!!"])
def test_unknown_label(label):
    result = normalise_rating(label)
    assert result == Normalised(None, "other", False)


def test_unknown_label_with_numbers_uses_numbers():
    zero = {"rating_value": 0, "best_rating": 10, "worst_rating": 0}
    assert norm("Lie of the Year", **zero) == (0.0, "false", True)


# --- publisher scales ---------------------------------------------------------

@pytest.mark.parametrize("site, scale", [
    ("politifact.com", "politifact"),
    ("www.politifact.com", "politifact"),
    ("https://www.politifact.com/factchecks/2024/x/", "politifact"),
    ("snopes.com", "snopes"),
    ("factcheck.afp.com", "meta"),
    ("afp.com", "meta"),
    ("aap.com.au", "aap"),
    ("https://www.aap.com.au/factcheck/", "aap"),
    ("fullfact.org", "fullfact"),
    ("WashingtonPost.com", "washingtonpost"),
    ("example.org", None),
    ("notpolitifact.com", None),
    ("", None),
    (None, None),
])
def test_scale_for_site(site, scale):
    assert scale_for_site(site) == scale


def test_publisher_scale_is_preferred(monkeypatch):
    rows = (
        ratings.RatingRow("generic", "Shaky", 0.35, "mixed"),
        ratings.RatingRow("snopes", "Shaky", 0.0, "false"),
        ratings.RatingRow("politifact", "Shaky", 1.0, "true"),
        ratings.RatingRow("politifact", "Wobbly", 0.75, "true"),
        ratings.RatingRow("snopes", "Wobbly", 0.25, "false"),
    )
    monkeypatch.setattr(ratings, "_INDEX", ratings._build_index(rows))
    assert norm("shaky", publisher_site="snopes.com") == (0.0, "false", True)
    assert norm("shaky", publisher_site="www.politifact.com") == (1.0, "true", True)
    # generic next, for unmapped publishers or labels not on their scale
    assert norm("shaky", publisher_site="fullfact.org") == (0.35, "mixed", True)
    assert norm("shaky") == (0.35, "mixed", True)
    # no generic row: first scale in table order
    assert norm("wobbly") == (0.75, "true", True)
    assert norm("wobbly", publisher_site="snopes.com") == (0.25, "false", True)


def test_label_missing_from_publisher_scale_falls_back_to_generic():
    assert norm("Misleading", publisher_site="politifact.com") == (0.35, "mixed", True)
    assert norm("Pants on Fire", publisher_site="snopes.com") == (0.0, "false", True)
    assert norm("Four Pinocchios", publisher_site="https://example.org/x") == (0.0, "false", True)


# --- table integrity ----------------------------------------------------------

def test_categories():
    assert CATEGORIES == ("true", "mixed", "false", "unverifiable", "other")


def test_table_rows_valid():
    assert len(RATING_TABLE) > 50
    for row in RATING_TABLE:
        assert row.category in CATEGORIES, row
        assert row.score is None or 0.0 <= row.score <= 1.0, row
        if row.score is None:
            assert row.category in ("unverifiable", "other"), row
        else:
            assert row.category in ("true", "mixed", "false"), row


def test_table_scored_rows_follow_thresholds():
    for row in RATING_TABLE:
        if row.score is not None:
            assert normalise_rating(row.label, publisher_site=None).known
            expected = "true" if row.score >= 0.75 else "false" if row.score <= 0.25 else "mixed"
            assert row.category == expected, row


def test_every_row_is_reachable_on_its_scale():
    site_for = {scale: site for site, scale in ratings.SITE_SCALES.items()}
    for row in RATING_TABLE:
        if row.scale in site_for:
            got = normalise_rating(row.label, publisher_site=site_for[row.scale])
            assert (got.score, got.category, got.known) == (row.score, row.category, True), row


def test_build_index_rejects_bad_rows():
    with pytest.raises(ValueError):
        ratings._build_index((ratings.RatingRow("x", "A", 0.9, "false"),))
    with pytest.raises(ValueError):
        ratings._build_index((ratings.RatingRow("x", "A", 1.5, "true"),))
    with pytest.raises(ValueError):
        ratings._build_index((ratings.RatingRow("x", "A", None, "true"),))
    with pytest.raises(ValueError):
        ratings._build_index((ratings.RatingRow("x", "A", None, "other"),
                              ratings.RatingRow("x", "a!", None, "other")))


def test_normalised_is_frozen():
    result = normalise_rating("True")
    with pytest.raises(AttributeError):
        result.score = 0.0  # type: ignore[misc]


# --- sides --------------------------------------------------------------------

def test_sides():
    assert is_true_side(1.0) and is_true_side(0.65) and not is_true_side(0.5)
    assert is_false_side(0.0) and is_false_side(0.35) and not is_false_side(0.5)
    assert not is_true_side(None) and not is_false_side(None)
