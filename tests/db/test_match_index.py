"""The SQL ClaimIndex answers as the in-memory reference does."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, update

from factcheck.extensions import db
from factcheck.matching import CandidateQuery, InMemoryClaimIndex, Matcher, term_weights
from factcheck.models import Claim, ClaimTerm, MatchStats, MatchTerm
from factcheck.services.claims import records as claims
from factcheck.services.links.match_index import SqlClaimIndex, terms_of

TEXTS = [
    "Russia will provide Syria with S-300 air defence systems, Putin told Netanyahu.",
    "Putin told Netanyahu that Russia would supply S-300 missiles to Syria.",
    "Fifteen Russian crew members died when Syrian air defences downed the Il-20.",
    "Syrian air defences shot down a Russian Il-20 reconnaissance plane over Latakia.",
    "Israel notified Russia in advance of its airstrike on Latakia.",
    "The Israeli pilot used the Russian plane as a shield against Syrian missiles.",
]


def assert_same_ranking(found: list[list[tuple[int, float]]], expected: list[list[tuple[int, float]]]) -> None:
    """The same claims in the same order, with the same scores but for the last digits of
    sums the database adds up in another order."""
    assert [[claim_id for claim_id, _ in ranked] for ranked in found] == [
        [claim_id for claim_id, _ in ranked] for ranked in expected]
    assert [score for ranked in found for _, score in ranked] == pytest.approx(
        [score for ranked in expected for _, score in ranked], rel=1e-12)


def test_batched_candidates_equal_one_query_per_probe(app):
    stored = [claims.create_claim({"text": text}) for text in TEXTS]
    index = SqlClaimIndex(db.session())
    matcher = Matcher(index)
    queries = []
    for text, before in [(TEXTS[1], None), (TEXTS[3], stored[3]), ("S-300 Syria Putin", None),
                         ("nothing in common here", None)]:
        term_idf, min_match = matcher.link_terms(text)
        queries.append(CandidateQuery(term_idf, max(min_match, 1), 3, before))
    one_by_one = [index.ranked_candidates(q.term_idf, q.min_match, q.limit, q.before) for q in queries]
    assert_same_ranking(index.ranked_candidates_many(queries), one_by_one)
    assert_same_ranking(index.ranked_candidates_many(queries[1:2]), one_by_one[1:2])  # a batch of one (a new claim)
    assert one_by_one[0] and one_by_one[1] and not one_by_one[3]
    assert all(claim_id < stored[3] for claim_id, _ in one_by_one[1])


def test_sql_and_in_memory_indexes_rank_alike(app):
    stored = [claims.create_claim({"text": text}) for text in TEXTS]
    reference = InMemoryClaimIndex()
    for claim_id, text in zip(stored, TEXTS):
        reference.add(claim_id, text)
    query = "Did Putin promise S-300 systems to Syria? — Jane Doe (@jdoe) September 24, 2018"
    sql_ranked = [m.claim_id for m in Matcher(SqlClaimIndex(db.session())).match(query, 3)]
    memory_ranked = [m.claim_id for m in Matcher(reference).match(query, 3)]
    assert set(sql_ranked[:2]) == set(memory_ranked[:2]) == {stored[0], stored[1]}


def test_a_claims_weights_use_the_average_length_with_it_counted_once(app):
    """BM25 weighs a claim's terms by the store's average length, its own claim counted in:
    once, as match_stats then holds it."""
    claims.create_claim({"text": TEXTS[4]})
    long = claims.create_claim({"text": TEXTS[1] + " " + TEXTS[2]})
    lengths = [len(terms_of(text)) for text in (TEXTS[4], TEXTS[1] + " " + TEXTS[2])]
    assert lengths[0] != lengths[1]
    session = db.session()
    assert tuple(session.execute(select(MatchStats.claims, MatchStats.terms)).one()) == (2, sum(lengths))
    stored = dict(session.execute(select(MatchTerm.term, ClaimTerm.weight).join(ClaimTerm, ClaimTerm.term_id == MatchTerm.id)
                                  .where(ClaimTerm.claim_id == long)).all())
    expected = term_weights(terms_of(TEXTS[1] + " " + TEXTS[2]), sum(lengths) / 2)
    assert stored == pytest.approx(expected)


def test_a_match_skipping_the_common_terms_postings_ranks_as_the_full_query(app, monkeypatch):
    from factcheck.matching import maxscore

    stored = [claims.create_claim({"text": text}) for text in TEXTS]
    stored += [claims.create_claim({"text": f"Russian officials say claim {n} about Syria is wrong."}) for n in range(12)]
    monkeypatch.setattr(maxscore, "COMMON_MIN_DF", 0)  # "russian", "syria", ... are common among 18 claims
    monkeypatch.setattr(maxscore, "COMMON_SHARE", 0.3)
    answers = []
    real = maxscore.ranked_skipping_common
    monkeypatch.setattr("factcheck.services.links.match_index.ranked_skipping_common",
                        lambda *args: answers.append(real(*args)) or answers[-1])
    index = SqlClaimIndex(db.session())
    for query in ("Putin promised Russian S-300 missiles to Syria", "Russian Il-20 downed by Syrian defences",
                  "Israel warned Russia before the Latakia strike"):
        term_idf = Matcher(index).match_terms(query)
        weighted = [(index._terms[term][0], idf) for term, idf in term_idf.items()]
        assert_same_ranking([index.ranked_candidates(term_idf, 1, 3)], [index._ranked(weighted, 3)])
    assert any(answer is not None for answer in answers)  # the common terms' postings were skipped


def test_link_texts_for_more_claims_than_a_statement_has_parameters(app):
    """A batch's candidates in a million-claim store: a quarter of a million ids, where
    PostgreSQL takes 65,535 parameters a statement (and SQLite 32,766 by default)."""
    stored = claims.create_claim({"text": TEXTS[0]})
    found = SqlClaimIndex(db.session()).link_texts([stored, *range(10**6, 10**6 + 70_000)])
    assert list(found) == [stored] and "netanyahu" in found[stored]


def test_candidates_come_with_their_groups(app):
    """A candidate's group comes with it from either candidate query; a claim no query has
    returned is read in one more."""
    stored = [claims.create_claim({"text": text}) for text in TEXTS]
    db.session.execute(update(Claim).where(Claim.id.in_(stored[:2])).values(group_id=stored[1]))
    db.session.commit()
    groups = dict(db.session.execute(select(Claim.id, Claim.group_id)).all())
    assert groups[stored[0]] == groups[stored[1]] == stored[1]
    one, many = SqlClaimIndex(db.session()), SqlClaimIndex(db.session())
    term_idf, min_match = Matcher(one).link_terms(TEXTS[1])  # each index learns the terms' ids
    Matcher(many).link_terms(TEXTS[1])
    found = [one.ranked_candidates(term_idf, min_match, 5),
             *many.ranked_candidates_many([CandidateQuery(term_idf, min_match, 5), CandidateQuery(term_idf, 1, 5)])]
    assert {claim_id for claim_id, _ in found[0]} >= {stored[0], stored[1]}
    with statements_sent() as statements:
        assert one.groups([stored[0], stored[1]]) == {stored[0]: stored[1], stored[1]: stored[1]}
        assert many.groups({claim_id for ranked in found[1:] for claim_id, _ in ranked}).items() <= groups.items()
    assert statements == []
    assert many.groups([*stored, 10**6]) == groups


@contextmanager
def statements_sent():
    statements: list[str] = []

    def record(connection, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
