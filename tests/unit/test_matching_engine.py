"""Tests for near-duplicate linking and retrieval in factcheck.matching."""
import pytest
from rapidfuzz import fuzz

from factcheck.matching import (
    SCORER,
    InMemoryClaimIndex,
    Match,
    Matcher,
    MatcherSettings,
    Thresholds,
    conflicting,
    exhaustive_links,
    link_score,
    prepare,
)

CLAIMS = {
    1: "The governor cut funding for public schools by 20 percent last year",
    2: "Drinking hot water with lemon cures the common cold within three days",
    3: "The city council voted to ban plastic bags at all grocery stores",
    4: "Millions of dead people are still registered to vote in California",
    5: "Eating carrots every day will give you perfect night vision",
    6: "The senator never voted for a tax increase during his career",
}


@pytest.fixture
def matcher():
    index = InMemoryClaimIndex()
    index.add_many(CLAIMS.items())
    return Matcher(index, Thresholds(suggest=70, auto=90))


def test_link_score_identical_symmetric_and_ignores_case_punctuation():
    a = "The city council voted to ban plastic bags!"
    b = "the City Council voted to ban plastic bags"
    assert link_score(a, b) == 100 and link_score(a, a) == 100
    c = "City council votes to ban plastic grocery bags"
    assert link_score(a, c) == link_score(c, a)
    assert link_score("", a) == 0


def test_token_set_guard_short_claim_inside_long_text():
    short = "plastic bags banned"
    long = ("The mayor said plastic bags are banned from markets while the council debated "
            "a budget that funds new parks and roads across the city next year")
    assert fuzz.token_set_ratio(prepare(short), prepare(long)) == 100
    assert link_score(short, long) < 70


def test_thresholds_confirmed_suggested_and_none(matcher):
    near_copy = "The governor cut funding for public schools by 20 percent last year."
    reworded = "Records show the governor slashed public schools funding by 20 percent last year"
    unrelated = "The governor visited public schools to talk about reading last year"
    [confirmed] = matcher.link_candidates(near_copy)
    assert (confirmed.claim_id, confirmed.status, confirmed.scorer) == (1, "confirmed", SCORER)
    assert confirmed.score >= 90
    [suggested] = matcher.link_candidates(reworded)
    assert (suggested.claim_id, suggested.status) == (1, "suggested")
    assert 70 <= suggested.score < 90
    assert matcher.link_candidates(unrelated) == []


def test_short_texts_never_auto_confirm():
    index = InMemoryClaimIndex()
    index.add(1, "Obama is a Muslim")
    [link] = Matcher(index, Thresholds(suggest=70, auto=90)).link_candidates("Obama is a Muslim")
    assert link.score == 100 and link.status == "suggested"


def test_negation_or_number_change_is_at_most_suggested(matcher):
    negated = "The senator always voted for a tax increase during his career"
    flipped = matcher.link_candidates("The senator voted for a tax increase during his career")
    assert [(x.claim_id, x.status) for x in flipped] == [(6, "suggested")]
    assert conflicting(prepare(CLAIMS[6]), prepare(negated))
    number = matcher.link_candidates("The governor cut funding for public schools by 30 percent last year")
    assert [(x.claim_id, x.status) for x in number] == [(1, "suggested")]


def test_link_candidates_only_links_to_claims_stored_before(matcher):
    assert [x.claim_id for x in matcher.link_candidates(CLAIMS[3])] == [3]
    assert matcher.link_candidates(CLAIMS[3], before=3) == []


def test_link_candidates_empty_index_and_empty_text():
    empty = Matcher(InMemoryClaimIndex())
    assert empty.link_candidates("Anything at all here") == []
    assert empty.match("Anything at all here") == []


def test_link_terms_picks_rarest_terms_and_tops_up():
    index = InMemoryClaimIndex()
    index.add_many([(i, f"tax cut plan number{i}") for i in range(10)] + [(10, "tax cut zebra")])
    settings = MatcherSettings(link_rare_terms=2, link_max_df_ratio=0.5, link_min_df_cap=0,
                               link_min_terms=3, link_fallback_max_df_ratio=1.0)
    term_idf, min_match = Matcher(index, settings=settings).link_terms("zebra tax cut plan")
    # Only "zebra" (df 1) is rare; plan (df 10) and tax/cut (df 11) exceed 50%: topped up
    # with the rarest ones left to link_min_terms, still needing 2 of them.
    assert min_match == 2 and len(term_idf) == 3 and {"zebra", "plan"} <= term_idf.keys()
    # The top-up never takes terms above the fallback cap (here 95% of 11 claims).
    capped = MatcherSettings(link_rare_terms=2, link_max_df_ratio=0.5, link_min_df_cap=0,
                             link_min_terms=3, link_fallback_max_df_ratio=0.95)
    term_idf, min_match = Matcher(index, settings=capped).link_terms("zebra tax cut plan")
    assert sorted(term_idf) == ["plan", "zebra"] and min_match == 2
    assert Matcher(index, settings=settings).link_terms("the of") == ({}, 0)


def test_retrieval_matches_exhaustive_reference(matcher):
    text = "City council voted to ban plastic bags at all grocery stores"
    thresholds = Thresholds(suggest=50, auto=90)
    probe = Matcher(matcher.index, thresholds)
    assert probe.link_candidates(text) == exhaustive_links(text, CLAIMS, thresholds)


def test_thresholds_validation():
    with pytest.raises(ValueError):
        Thresholds(suggest=95, auto=90)
    with pytest.raises(ValueError):
        Thresholds(suggest=-1, auto=90)


def test_match_ranks_paraphrase_first(matcher):
    tweet = ("Lemon in hot water cures colds?! My aunt swears by it https://t.co/x "
             "— Some One (@someone) March 3, 2020")
    results = matcher.match(tweet, limit=3)
    assert results[0].claim_id == 2
    assert all(isinstance(m, Match) and 0 <= m.score <= 1 and 0 <= m.bm25_share <= 1 for m in results)
    assert [m.score for m in results] == sorted((m.score for m in results), reverse=True)


def test_match_vote_claim_and_limit(matcher):
    results = matcher.match("So many dead voters still on the rolls in California!!", limit=1)
    assert [m.claim_id for m in results] == [4]
    assert matcher.match("dead voters California", limit=0) == []
    assert matcher.match("", limit=5) == []
    assert matcher.match("zzzz qqqq", limit=5) == []


