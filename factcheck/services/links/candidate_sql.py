"""The SQL of the candidate queries over the term index (claim_terms): one probe's, and many
probes' in one round trip, on SQLite and PostgreSQL."""
from functools import lru_cache

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from factcheck.models import Claim, ClaimTerm

# Probes per batched candidate query: on SQLite, 8 terms x 6 parameters each stays under
# its 32,766 bound parameters.
PROBES_PER_STATEMENT = 400
NO_BOUND = 2**62
# The probes' rows: on PostgreSQL one array parameter per column, so the statement is the
# same whatever the batch; on SQLite a VALUES list handed to the driver as it is (compiling
# ~20,000 named parameters cost SQLAlchemy more than the query; JSON rows were read slower).
_PROBES = {
    "postgresql": "SELECT * FROM unnest(CAST(:probe AS integer[]), CAST(:term_id AS integer[]), "
                  "CAST(:w AS double precision[]), CAST(:min_match AS integer[]), CAST(:lim AS integer[]), "
                  "CAST(:bound AS bigint[]))",
    "sqlite": "VALUES {rows}",
}
# ranked_candidates for many probes in one round trip: each probe's terms and weights are
# rows of q; per probe, the claims holding >= min_match of its terms, best `lim` first.
_MANY_CANDIDATES = """
WITH q (probe, term_id, w, min_match, lim, bound) AS ({probes}),
scored AS (
    SELECT q.probe, ct.claim_id, SUM(ct.weight * q.w) AS score, MIN(q.lim) AS lim,
           ROW_NUMBER() OVER (PARTITION BY q.probe ORDER BY SUM(ct.weight * q.w) DESC, ct.claim_id) AS rank
    FROM q JOIN claim_terms ct ON ct.term_id = q.term_id AND ct.claim_id < q.bound
    GROUP BY q.probe, ct.claim_id
    HAVING COUNT(*) >= MIN(q.min_match)
)
SELECT scored.probe, scored.claim_id, scored.score, claims.link_text, claims.group_id
FROM scored JOIN claims ON claims.id = scored.claim_id
WHERE scored.rank <= scored.lim
ORDER BY scored.probe, scored.rank
"""
_PROBE_COLUMNS = ("probe", "term_id", "w", "min_match", "lim", "bound")


def many_candidates(session: Session, rows: list[tuple]):
    """The batched candidate query's result, whatever the number of probe rows."""
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(_many_candidates_pg(), dict(zip(_PROBE_COLUMNS, map(list, zip(*rows)))))
    values = _PROBES["sqlite"].format(rows=", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows)))
    return session.connection().exec_driver_sql(_MANY_CANDIDATES.format(probes=values),
                                                tuple(value for row in rows for value in row))


@lru_cache(maxsize=1)
def _many_candidates_pg():
    return sql_text(_MANY_CANDIDATES.format(probes=_PROBES["postgresql"]))


@lru_cache(maxsize=64)
def candidates_query(n_terms: int, bounded: bool) -> Select:
    """Claims holding >= min_match of the terms, by SUM(idf * weight), with their link texts
    and groups.

    One statement per shape, so SQLAlchemy compiles it once and the database sees the same
    SQL every time.
    """
    term_ids = [bindparam(f"t{i}") for i in range(n_terms)]
    idf = case(*((ClaimTerm.term_id == term_id, bindparam(f"w{i}")) for i, term_id in enumerate(term_ids)))
    score = func.sum(ClaimTerm.weight * idf).label("score")
    ranked = (
        select(ClaimTerm.claim_id, score)
        .where(ClaimTerm.term_id.in_(term_ids))
        .group_by(ClaimTerm.claim_id)
        .having(func.count() >= bindparam("min_match"))
        .order_by(score.desc(), ClaimTerm.claim_id)
        .limit(bindparam("limit"))
    )
    if bounded:
        ranked = ranked.where(ClaimTerm.claim_id < bindparam("before"))
    ranked = ranked.subquery()
    return (select(ranked.c.claim_id, ranked.c.score, Claim.link_text, Claim.group_id)
            .join(Claim, Claim.id == ranked.c.claim_id)
            .order_by(ranked.c.score.desc(), ranked.c.claim_id))
