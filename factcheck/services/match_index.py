"""The matcher's ClaimIndex on SQL tables (match_terms, claim_terms), on SQLite and PostgreSQL."""
import time
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from sqlalchemy import case, func, select
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
        self._term_ids: dict[str, int] = {}

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

    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]:
        if not terms:
            return {}
        rows = self.session.execute(
            select(MatchTerm.term, MatchTerm.id, MatchTerm.df).where(MatchTerm.term.in_(set(terms)))
        ).all()
        self._term_ids.update((term, term_id) for term, term_id, _ in rows)
        return {term: df for term, _, df in rows if df > 0}

    def ranked_candidates(self, term_idf: Mapping[str, float], min_match: int, limit: int,
                          exclude: Collection[int] = ()) -> list[tuple[int, float]]:
        ids = {self._term_ids[t]: w for t, w in term_idf.items() if t in self._term_ids}
        if not ids or limit <= 0:
            return []
        score = func.sum(ClaimTerm.weight * case(ids, value=ClaimTerm.term_id)).label("score")
        query = (
            select(ClaimTerm.claim_id, score)
            .where(ClaimTerm.term_id.in_(ids))
            .group_by(ClaimTerm.claim_id)
            .having(func.count() >= min_match)
            .order_by(score.desc(), ClaimTerm.claim_id)
            .limit(limit)
        )
        if exclude:
            query = query.where(ClaimTerm.claim_id.not_in(exclude))
        return [(claim_id, float(s)) for claim_id, s in self.session.execute(query)]

    def texts(self, claim_ids: Collection[int]) -> Mapping[int, str]:
        if not claim_ids:
            return {}
        return dict(self.session.execute(select(Claim.id, Claim.text).where(Claim.id.in_(claim_ids))).all())


def index_claims(session: Session, claims: Iterable[Claim]) -> None:
    """Store postings for claims just flushed, and count them in each term's df."""
    analysed = [(claim, terms_of(claim.text)) for claim in claims]
    df_increments = Counter(term for _, terms in analysed for term in set(terms))
    if not df_increments:
        return
    term_ids = _upsert_terms(session, df_increments)
    avgdl = SqlClaimIndex(session).average_length()
    postings = []
    for claim, terms in analysed:
        claim.n_terms = len(terms)
        postings.extend(
            {"term_id": term_ids[term], "claim_id": claim.id, "weight": weight}
            for term, weight in term_weights(terms, avgdl).items()
        )
    session.execute(ClaimTerm.__table__.insert(), postings)


def _upsert_terms(session: Session, df_increments: Mapping[str, int]) -> dict[str, int]:
    # Sorted, so concurrent writers lock term rows in one order and cannot deadlock.
    rows = [{"term": term, "df": n} for term, n in sorted(df_increments.items())]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(MatchTerm).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[MatchTerm.term], set_={"df": MatchTerm.df + statement.excluded.df}
    ).returning(MatchTerm.term, MatchTerm.id)
    return dict(session.execute(statement).all())



