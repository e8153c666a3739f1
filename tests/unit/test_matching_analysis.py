"""Tests for factcheck.matching.analysis: tweet cleaning, index terms, BM25 weights."""
import os
import subprocess
import sys

import pytest

from factcheck.matching import analyze, clean_text, idf, term_weights, words
from factcheck.matching.analysis import is_post

TWEET = (
    "BREAKING: @CNN says the #GreenNewDeal bans cows https://t.co/abc123 "
    "pic.twitter.com/XyZ987 — Jane Q. Public (@janeq) January 6, 2020"
)


def test_clean_text_strips_links_handles_and_trailer_date_keeping_author():
    cleaned = clean_text(TWEET)
    assert "http" not in cleaned and "pic.twitter" not in cleaned
    assert "@" not in cleaned and "2020" not in cleaned and "January" not in cleaned
    assert "Green New Deal" in cleaned
    assert cleaned.endswith("Jane Q. Public")


def test_clean_text_can_drop_the_author_for_link_scoring():
    assert clean_text(TWEET, keep_author=False) == "BREAKING: says the Green New Deal bans cows"


def test_trailer_with_plain_hyphen_and_glued_picture_link():
    text = "Drone strike caught on camera.#IranUsapic.twitter.com/Tv1 - A B (@ab) November 5, 2019"
    assert clean_text(text) == "Drone strike caught on camera. Iran Usa A B"


def test_text_without_trailer_is_kept():
    assert clean_text("  Taxes rose   by 5% in 2019.  ") == "Taxes rose by 5% in 2019."


@pytest.mark.parametrize("text", [
    TWEET, "Read it at https://example.org/a", "Read it at WWW.example.org", "see bit.ly/3xYz now",
    "Cows banned!pic.twitter.com/XyZ987", "Thanks @CNN for this", "The #GreenNewDeal bans cows",
    "Cows are banned — Jane Q. Public (@janeq) January 6, 2020",
])
def test_a_post_is_told_by_its_links_handles_hashtags_or_trailer(text):
    assert is_post(text)


@pytest.mark.parametrize("text", [
    "", "The governor cut funding for public schools by 20 percent",
    "Three out of 4 voters, or 3/4, back the plan", "Inflation hit 9.1% in June 2022 (its highest since 1981)",
    "He wrote to the www committee", "Emails at 9 a.m. # of them rose",
])
def test_a_sentence_is_not_a_post(text):
    assert not is_post(text)


def test_words_lowercases_and_joins_apostrophes():
    assert words("Obama's plan DOESN'T work") == ["obamas", "plan", "doesnt", "work"]


def test_analyze_removes_stopwords_and_stems():
    assert analyze("The senators were voting on the taxes") == ["senat", "vote", "tax"]


def test_analyze_keeps_negations_and_numbers():
    assert analyze("He did not raise 3 taxes") == ["not", "rais", "3", "tax"]


def test_analyze_empty():
    assert analyze("") == [] and analyze("   the of a ") == []


def test_analyze_is_deterministic_across_processes():
    code = f"from factcheck.matching import analyze; print(analyze({TWEET!r}))"
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.add(result.stdout)
    assert outputs == {str(analyze(TWEET)) + "\n"}


def test_term_weights_follow_bm25_tf_component():
    weights = term_weights(["tax", "tax", "cut", "rich"], avgdl=4.0, k1=1.2, b=0.5)
    assert weights["tax"] == pytest.approx(2 * 2.2 / (2 + 1.2))
    assert weights["cut"] == pytest.approx(2.2 / (1 + 1.2))


def test_term_weights_longer_claims_weigh_less_and_empty_corpus_uses_own_length():
    short = term_weights(["tax"], avgdl=4.0)["tax"]
    long = term_weights(["tax", "a1", "a2", "a3", "a4", "a5", "a6", "a7"], avgdl=4.0)["tax"]
    assert long < short
    assert term_weights(["tax"], avgdl=0.0) == term_weights(["tax"], avgdl=1.0)
    assert term_weights([], avgdl=3.0) == {}


def test_idf_positive_and_decreasing():
    assert idf(1, 1000) > idf(10, 1000) > idf(900, 1000) > 0
