"""The matcher's ClaimIndex on SQL tables (match_terms, claim_terms), on SQLite and PostgreSQL."""
from collections import Counter
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from factcheck.matching import CandidateQuery, analyze, term_weights
from factcheck.matching.maxscore import ranked_skipping_common
from factcheck.models import Claim, ClaimTerm, MatchStats, MatchTerm
from factcheck.services.claims.sources import dialect_insert
from factcheck.services.links.candidate_sql import (
    NO_BOUND,
    PROBES_PER_STATEMENT,
    candidates_query,
    many_candidates,
)
from factcheck.storage.id_lists import one_of

MAX_TERM_LENGTH = 100


def terms_of(text: str) -> list[str]:
    return [term[:MAX_TERM_LENGTH] for term in analyze(text)]


class SqlClaimIndex:
    """ClaimIndex over the session's database, for the length of one use case.

    Each method is one query; what it learns (term ids and dfs, candidates' link texts and
    groups, corpus figures) is kept for the use case's later calls, never across requests.
    """

    def __init__(self, session: Session):
        self.session = session
        self._terms: dict[str, tuple[int, int]] = {}  # term -> (id, df)
        self._link_texts: dict[int, str] = {}
        self._groups: dict[int, int] = {}
        self._corpus: tuple[int, int] | None = None  # (claims, terms)

    # --- ClaimIndex ---
    def corpus_size(self) -> int:
        return self._figures()[0]

    def average_length(self) -> float:
        claims, terms = self._figures()
        return terms / claims if claims else 0.0

    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]:
        wanted = set(terms)
        if missing := wanted - self._terms.keys():
            rows = self.session.execute(
                select(MatchTerm.term, MatchTerm.id, MatchTerm.df).where(MatchTerm.term.in_(missing)))
            self._terms.update((term, (term_id, df)) for term, term_id, df in rows)
        return {term: self._terms[term][1] for term in wanted
                if term in self._terms and self._terms[term][1] > 0}

    def ranked_candidates(self, term_idf: Mapping[str, float], min_match: int, limit: int,
                          before: int | None = None, exclude: Collection[int] = frozenset(),
                          ) -> list[tuple[int, float]]:
        terms = [(self._terms[t][0], w, self._terms[t][1]) for t, w in term_idf.items() if t in self._terms]
        if not terms or limit <= 0:
            return []
        # The claims left out are dropped from the answer, so as many more are asked for.
        wanted, weighted = limit + len(exclude), [(term_id, w) for term_id, w, _ in terms]
        # A match (any one term, no bound) may skip its common terms' postings.
        found = (ranked_skipping_common(terms, self.corpus_size(), wanted, self._ranked, self._weights)
                 if min_match == 1 and before is None else None)
        found = self._ranked(weighted, wanted, min_match, before) if found is None else found
        return [(claim_id, score) for claim_id, score in found if claim_id not in exclude][:limit]

    def _ranked(self, weighted: Sequence[tuple[int, float]], limit: int, min_match: int = 1,
                before: int | None = None) -> list[tuple[int, float]]:
        params = {"min_match": min_match, "limit": limit, "before": before}
        for i, (term_id, weight) in enumerate(weighted):
            params[f"t{i}"], params[f"w{i}"] = term_id, weight
        rows = self.session.execute(candidates_query(len(weighted), before is not None), params).all()
        # The link texts and groups come in the same query: the matcher asks for them next.
        for claim_id, _, text, group_id in rows:
            self._link_texts[claim_id], self._groups[claim_id] = text, group_id
        return [(claim_id, float(score)) for claim_id, score, _, _ in rows]

    def _weights(self, term_ids: Sequence[int], claim_ids: Sequence[int]) -> list[tuple[int, int, float]]:
        rows = self.session.execute(select(ClaimTerm.claim_id, ClaimTerm.term_id, ClaimTerm.weight).where(
            ClaimTerm.term_id.in_(term_ids), one_of(ClaimTerm.claim_id, "ids")), {"ids": list(claim_ids)})
        return [tuple(row) for row in rows]

    def ranked_candidates_many(self, queries: Sequence[CandidateQuery]) -> list[list[tuple[int, float]]]:
        if len(queries) == 1:  # one new claim (the API's case): the one-probe statement, planned for it
            (query,) = queries
            return [self.ranked_candidates(query.term_idf, query.min_match, query.limit, query.before,
                                           query.exclude)]
        answers: list[list[tuple[int, float]]] = [[] for _ in queries]
        for start in range(0, len(queries), PROBES_PER_STATEMENT):
            chunk = list(enumerate(queries[start:start + PROBES_PER_STATEMENT], start))
            rows = [(position, self._terms[term][0], weight, query.min_match, query.limit + len(query.exclude),
                     NO_BOUND if query.before is None else query.before)
                    for position, query in chunk
                    for term, weight in query.term_idf.items() if term in self._terms]
            if not rows:
                continue
            for position, claim_id, score, text, group_id in many_candidates(self.session, rows):
                self._link_texts[claim_id], self._groups[claim_id] = text, group_id
                query = queries[position]
                if claim_id not in query.exclude and len(answers[position]) < query.limit:
                    answers[position].append((claim_id, float(score)))
        return answers

    def link_texts(self, claim_ids: Collection[int]) -> Mapping[int, str]:
        if missing := [claim_id for claim_id in claim_ids if claim_id not in self._link_texts]:
            # A removed claim has no postings, but the dense stage may still hold its vector.
            for claim_id, text, group_id in self.session.execute(
                    select(Claim.id, Claim.link_text, Claim.group_id).where(
                        one_of(Claim.id, "ids"), Claim.removed_at.is_(None)), {"ids": missing}):
                self._link_texts[claim_id], self._groups[claim_id] = text, group_id
        return {claim_id: self._link_texts[claim_id] for claim_id in claim_ids if claim_id in self._link_texts}

    def groups(self, claim_ids: Collection[int]) -> Mapping[int, int]:
        """Each existing claim's group: read with its link text, so no query for candidates."""
        self.link_texts([claim_id for claim_id in claim_ids if claim_id not in self._groups])
        return {claim_id: self._groups[claim_id] for claim_id in claim_ids if claim_id in self._groups}

    # --- writing ---
    def add(self, claims: Collection[Claim]) -> None:
        """Index claims just flushed: postings, each term's df, the corpus figures and the
        claims' lengths, in four statements whatever the number of claims. Only the linker
        calls it (services.links.linker), one at a time, so these rows are never fought over."""
        analysed = [(claim, terms_of(claim.text)) for claim in claims]
        if not analysed:
            return
        # The batch counts in the average length its own weights are normalised by: the
        # first batch into an empty database would otherwise get no normalisation at all.
        self._count(len(analysed), sum(len(terms) for _, terms in analysed))
        avgdl = self.average_length()
        df_increments = Counter(term for _, terms in analysed for term in set(terms))
        if df_increments:
            self._terms.update(_upsert_terms(self.session, df_increments))
        postings = []
        for claim, terms in analysed:
            postings.extend((self._terms[term][0], claim.id, weight)
                            for term, weight in term_weights(terms, avgdl).items())
        _insert_postings(self.session, postings)
        # By primary key, in one executemany; the session's copies are updated too. A bulk
        # import inserts claims with their lengths already.
        if lengths := [{"id": claim.id, "n_terms": len(terms)} for claim, terms in analysed
                       if getattr(claim, "n_terms", None) != len(terms)]:
            self.session.execute(update(Claim), lengths)

    def remove(self, claim: Claim) -> None:
        """Take a claim's postings out of the index (before its text changes, or it is
        removed): its terms' dfs, the corpus figures and its length follow."""
        held = select(ClaimTerm.term_id).where(ClaimTerm.claim_id == claim.id)
        self.session.execute(update(MatchTerm).where(MatchTerm.id.in_(held)).values(df=MatchTerm.df - 1))
        self.session.execute(delete(ClaimTerm).where(ClaimTerm.claim_id == claim.id))
        self._count(-1, -claim.n_terms)
        self._terms.clear()  # the dfs just moved
        claim.n_terms = 0

    def _figures(self) -> tuple[int, int]:
        if self._corpus is None:
            row = self.session.execute(select(MatchStats.claims, MatchStats.terms)).first()
            self._corpus = (row[0], row[1]) if row else (0, 0)
        return self._corpus

    def _count(self, claims: int, terms: int) -> None:
        # A counter row, kept exact by the linker, instead of COUNT(*) over a million claims;
        # the figures it then holds are the index's from here on.
        statement = dialect_insert(self.session)(MatchStats).values(id=1, claims=claims, terms=terms)
        self._corpus = tuple(self.session.execute(statement.on_conflict_do_update(
            index_elements=[MatchStats.id],
            set_={"claims": MatchStats.claims + claims, "terms": MatchStats.terms + terms},
        ).returning(MatchStats.claims, MatchStats.terms)).one())


def _insert_postings(session: Session, postings: list[tuple[int, int, float]]) -> None:
    if not postings:
        return
    postings.sort()  # in the order of the indexes they go into, (term_id, claim_id)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # COPY: psycopg's executemany sends one statement per row, ten times slower here.
        with (connection.connection.driver_connection.cursor() as cursor,
              cursor.copy("COPY claim_terms (term_id, claim_id, weight) FROM STDIN") as copy):
            for row in postings:
                copy.write_row(row)
        return
    # The driver's executemany over plain tuples: SQLAlchemy's per-row parameter handling
    # cost more than SQLite's inserts.
    connection.exec_driver_sql("INSERT INTO claim_terms (term_id, claim_id, weight) VALUES (?, ?, ?)", postings)


def _upsert_terms(session: Session, df_increments: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    # Sorted, so concurrent writers lock term rows in one order and cannot deadlock.
    rows = [{"term": term, "df": n} for term, n in sorted(df_increments.items())]
    statement = dialect_insert(session)(MatchTerm)
    statement = statement.on_conflict_do_update(
        index_elements=[MatchTerm.term], set_={"df": MatchTerm.df + statement.excluded.df}
    ).returning(MatchTerm.term, MatchTerm.id, MatchTerm.df)
    # executemany: SQLAlchemy batches the rows into multi-row VALUES without recompiling.
    return {term: (term_id, df) for term, term_id, df in session.execute(statement, rows)}
