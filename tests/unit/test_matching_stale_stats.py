"""The matcher when the index's corpus statistics lag behind its postings."""
from factcheck.matching import InMemoryClaimIndex, Matcher

TARGET = "Iran has never won a war, but has never lost a negotiation, Donald Trump said."
OTHERS = [
    "Donald Trump said the war in Afghanistan will be over by Christmas.",
    "Iran holds the world's second largest reserves of natural gas.",
    "Donald Trump never paid any federal income tax in ten of the last fifteen years.",
    "Iran's supreme leader banned the import of American vaccines in January.",
]


class LaggingIndex(InMemoryClaimIndex):
    """An index whose claim count was cached when it held one claim, as SqlClaimIndex
    does for a while: other workers (or this one) have stored claims since."""

    def corpus_size(self) -> int:
        return 1


def _matcher(index_class) -> Matcher:
    index = index_class()
    index.add_many(enumerate([TARGET, *OTHERS], start=1))
    return Matcher(index)


QUERY = "Trump: Iran never won a war and never lost a negotiation"


def test_fresh_statistics_rank_the_paraphrased_claim_first():
    found = _matcher(InMemoryClaimIndex).match(QUERY, limit=5)
    assert found[0].claim_id == 1
    assert all(0 < m.score <= 1 for m in found)


def test_a_stale_claim_count_keeps_scores_between_0_and_1():
    # A term's document frequency can exceed a cached corpus size; its idf must not turn
    # negative, which would rank claims sharing more query words lower.
    found = _matcher(LaggingIndex).match(QUERY, limit=5)
    assert found[0].claim_id == 1
    assert all(0 < m.score <= 1 for m in found), [m.score for m in found]
    assert all(0 <= m.bm25_share <= 1 for m in found)


def test_a_stale_claim_count_still_links_near_copies():
    matcher = _matcher(LaggingIndex)
    links = matcher.link_candidates(TARGET.replace("said", "says"))
    assert [(link.claim_id, link.status) for link in links] == [(1, "confirmed")]
