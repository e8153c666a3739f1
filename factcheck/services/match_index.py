"""The matcher's ClaimIndex on SQL tables (match_terms, claim_terms), on SQLite and PostgreSQL."""
import time
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from factcheck.matching import analyze, term_weights
from factcheck.models import Claim, ClaimTerm, MatchTerm

MAX_TERM_LENGTH = 100
STATS_TTL_SECONDS = 30.0
# Corpus size and average length per database, refreshed from the database every
# STATS_TTL_SECONDS: idf and length normalisation tolerate slightly stale figures, and a
# count over a million claims on every request would not.
_stats: dict[str, tuple[float, int, float]] = {}


def terms_of(text: str) -> list[str]:
    return [term[:MAX_TERM_LENGTH] for term in analyze(text)]


class SqlClaimIndex:
    """ClaimIndex over the session's database; each method is one query."""

    def __init__(self, session: Session):
        self.session = session
        self._terms: dict[str, tuple[int, int]] = {}  # term -> (id, df)

    def _corpus(self) -> tuple[int, float]:
        key = str(self.session.get_bind().url)
        cached = _stats.get(key)
        if cached is None or cached[0] < time.monotonic():
            count, avg = self.session.execute(select(func.count(Claim.id), func.avg(Claim.n_terms))).one()
            cached = _stats[key] = (time.monotonic() + STATS_TTL_SECONDS, count, float(avg or 0.0))
        return cached[1], cached[2]

    def corpus_size(self) -> int:
        return self._corpus()[0]

    def average_length(self) -> float:
        return self._corpus()[1]

    def remember(self, terms: Mapping[str, tuple[int, int]]) -> None:
        """Take (id, df) of terms the caller just wrote, sparing a query per claim."""
        self._terms.update(terms)

    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]:
        missing = set(terms) - self._terms.keys()
        if missing:
            rows = self.session.execute(
                select(MatchTerm.term, MatchTerm.id, MatchTerm.df).where(MatchTerm.term.in_(missing))
            ).all()
            self._terms.update((term, (term_id, df)) for term, term_id, df in rows)
        known = (self._terms.get(term) for term in set(terms))
        return {term: entry[1] for term, entry in zip(set(terms), known) if entry and entry[1] > 0}

    def ranked_candidates(self, term_idf: Mapping[str, float], min_match: int, limit: int,
                          exclude: Collection[int] = ()) -> list[tuple[int, float]]:
        weighted = [(self._terms[t][0], w) for t, w in term_idf.items() if t in self._terms]
        if not weighted or limit <= 0:
            return []
        params = {f"t{i}": term_id for i, (term_id, _) in enumerate(weighted)}
        params.update({f"w{i}": w for i, (_, w) in enumerate(weighted)})
        params.update(terms=[term_id for term_id, _ in weighted], min_match=min_match, limit=limit,
                      exclude=list(exclude))
        query = _candidates_query(len(weighted), bool(exclude))
        return [(claim_id, float(s)) for claim_id, s in self.session.execute(query, params)]

    def texts(self, claim_ids: Collection[int]) -> Mapping[int, str]:
        if not claim_ids:
            return {}
        return dict(self.session.execute(select(Claim.id, Claim.text).where(Claim.id.in_(claim_ids))).all())


@lru_cache(maxsize=64)
def _candidates_query(n_terms: int, excluding: bool) -> Select:
    """Claims holding >= min_match of the terms, by SUM(idf * weight); one statement per
    shape, so SQLAlchemy compiles it once and the database sees the same SQL every time."""
    idf = case(*((ClaimTerm.term_id == bindparam(f"t{i}"), bindparam(f"w{i}")) for i in range(n_terms)))
    score = func.sum(ClaimTerm.weight * idf).label("score")
    query = (
        select(ClaimTerm.claim_id, score)
        .where(ClaimTerm.term_id.in_(bindparam("terms", expanding=True)))
        .group_by(ClaimTerm.claim_id)
        .having(func.count() >= bindparam("min_match"))
        .order_by(score.desc(), ClaimTerm.claim_id)
        .limit(bindparam("limit"))
    )
    if excluding:
        query = query.where(ClaimTerm.claim_id.not_in(bindparam("exclude", expanding=True)))
    return query


def index_claims(index: SqlClaimIndex, claims: Iterable[Claim]) -> None:
    """Store postings for claims just flushed and count them in each term's df, in two
    statements whatever the number of claims."""
    analysed = [(claim, terms_of(claim.text)) for claim in claims]
    df_increments = Counter(term for _, terms in analysed for term in set(terms))
    for claim, terms in analysed:
        claim.n_terms = len(terms)
    if not df_increments:
        return
    terms = _upsert_terms(index.session, df_increments)
    index.remember(terms)
    avgdl = index.average_length()
    postings = [
        {"term_id": terms[term][0], "claim_id": claim.id, "weight": weight}
        for claim, claim_terms in analysed
        for term, weight in term_weights(claim_terms, avgdl).items()
    ]
    index.session.execute(ClaimTerm.__table__.insert(), postings)


def _upsert_terms(session: Session, df_increments: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    # Sorted, so concurrent writers lock term rows in one order and cannot deadlock.
    rows = [{"term": term, "df": n} for term, n in sorted(df_increments.items())]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(MatchTerm).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[MatchTerm.term], set_={"df": MatchTerm.df + statement.excluded.df}
    ).returning(MatchTerm.term, MatchTerm.id, MatchTerm.df)
    return {term: (term_id, df) for term, term_id, df in session.execute(statement)}



