"""Tests for InMemoryClaimIndex, the reference implementation of the ClaimIndex protocol."""
import pytest

from factcheck.matching import ClaimIndex, InMemoryClaimIndex, analyze, idf


@pytest.fixture
def index():
    idx = InMemoryClaimIndex()
    idx.add_many([
        (1, "Vaccines cause autism in children"),
        (2, "Vaccines contain microchips"),
        (3, "Autism rates rose after vaccines"),
        (4, "The moon landing was staged"),
    ])
    return idx


def query(*terms):
    return {analyze(t)[0]: 1.0 for t in terms}


def test_implements_protocol(index):
    assert isinstance(index, ClaimIndex)


def test_document_frequencies_only_existing_terms(index):
    dfs = index.document_frequencies(["vaccin", "autism", "unicorn"])
    assert dfs == {"vaccin": 3, "autism": 2}


def test_corpus_size_and_average_length(index):
    assert index.corpus_size() == 4
    lengths = [len(analyze(t)) for t in index.all_texts().values()]
    assert index.average_length() == pytest.approx(sum(lengths) / 4)
    assert InMemoryClaimIndex().average_length() == 0.0


def test_min_match_requires_that_many_distinct_terms(index):
    terms = query("vaccines", "autism", "children")
    assert {c for c, _ in index.ranked_candidates(terms, 1, 10)} == {1, 2, 3}
    assert {c for c, _ in index.ranked_candidates(terms, 2, 10)} == {1, 3}
    assert [c for c, _ in index.ranked_candidates(terms, 3, 10)] == [1]


def test_ranked_best_first_with_limit_and_before(index):
    terms = query("vaccines", "autism", "children")
    ranked = index.ranked_candidates(terms, 1, 10)
    assert ranked[0][0] == 1
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert len(index.ranked_candidates(terms, 1, 2)) == 2
    assert {c for c, _ in index.ranked_candidates(terms, 1, 10, before=3)} <= {1, 2}
    assert 1 not in {c for c, _ in index.ranked_candidates(terms, 1, 10, before=1)}
    assert index.ranked_candidates(terms, 1, 0) == []


def test_score_is_sum_of_idf_times_weight(index):
    # A claim's score is linear in the idf it is sent: doubling every idf doubles it.
    single = dict(index.ranked_candidates({"moon": 1.0}, 1, 1))
    double = dict(index.ranked_candidates({"moon": 2.0}, 1, 1))
    assert double[4] == pytest.approx(2 * single[4])


def test_ties_break_on_lower_claim_id():
    idx = InMemoryClaimIndex()
    idx.add_many([(9, "tariffs hurt farmers"), (5, "tariffs hurt farmers")])
    assert [c for c, _ in idx.ranked_candidates({"tariff": idf(2, 2)}, 1, 5)] == [5, 9]


def test_link_texts_are_prepared_and_existing_only(index):
    assert index.link_texts([4, 99]) == {4: "the moon landing was staged"}


def test_remove_and_replace_update_frequencies(index):
    index.remove(2)
    assert index.document_frequencies(["vaccin", "microchip"]) == {"vaccin": 2}
    assert index.corpus_size() == 3
    index.add(1, "The moon is made of cheese")
    assert index.document_frequencies(["moon", "autism"]) == {"moon": 2, "autism": 1}
    assert index.corpus_size() == 3
    index.remove(12345)  # unknown ids are ignored


def test_add_uses_average_length_known_at_insert_time():
    idx = InMemoryClaimIndex()
    idx.add(1, "one two three four")
    idx.add(2, "alpha beta")
    # Claim 2 was weighted with avgdl 3 (4 + 2 terms / 2 claims), as a SQL store would.
    expected = 2.2 / (1 + 1.2 * (1 - 0.5 + 0.5 * 2 / 3))
    assert dict(idx.ranked_candidates({"alpha": 1.0}, 1, 1))[2] == pytest.approx(expected)
