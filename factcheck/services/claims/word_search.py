"""The claim list's `q`: claims holding every word of it, in any order, ranked by BM25 on the
matcher's term index (so "russia latakia" finds "Latakia ... Russia's")."""
from sqlalchemy import Connection, Row, Select, Subquery, case, false, func, literal, select

from factcheck.matching import idf
from factcheck.models import Claim, ClaimTerm, MatchStats, MatchTerm
from factcheck.services.claims.documents import rows_by_id
from factcheck.services.links.match_index import terms_of
from factcheck.storage.pages import Page
from factcheck.storage.paging import Key, keyset_page


def holding_words(q: str, connection: Connection) -> Subquery:
    """(claim_id, rank) of the claims holding every word of `q` as the index analyses it
    (case, accents and word endings aside; stopwords ask nothing): none when some word is
    held by no claim, or `q` has no word the index keeps."""
    terms = set(terms_of(q))
    found = connection.execute(select(MatchTerm.id, MatchTerm.df).where(MatchTerm.term.in_(terms))).all()
    if not terms or len(found) < len(terms) or any(df <= 0 for _, df in found):
        return select(ClaimTerm.claim_id, literal(0.0).label("rank")).where(false()).subquery()
    n = connection.execute(select(MatchStats.claims)).scalar() or 1
    weight = case({term_id: idf(df, n) for term_id, df in found}, value=ClaimTerm.term_id)
    return (select(ClaimTerm.claim_id, func.sum(ClaimTerm.weight * weight).label("rank"))
            .where(ClaimTerm.term_id.in_([term_id for term_id, _ in found]))
            .group_by(ClaimTerm.claim_id).having(func.count() == len(found)).subquery())


def best_first(query: Select, holding: Subquery, args: dict, connection: Connection) -> Page[Row]:
    """A page of `query` (claim_rows(), filtered) among `holding`, best ranked first; the
    cursor is the last (rank, id) shown."""
    query = (query.join(holding, holding.c.claim_id == Claim.id)
             .with_only_columns(Claim.id, holding.c.rank, maintain_column_froms=True))
    keys = [Key(holding.c.rank, float), Key(Claim.id, int)]
    page = keyset_page(query, keys, args, lambda statement: connection.execute(statement).all())
    found = rows_by_id(row.id for row in page.items)
    return Page([found[row.id] for row in page.items], page.next_cursor)
