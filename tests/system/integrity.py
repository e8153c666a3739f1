"""An integrity check of a factcheck database: what must hold after any crash, on any engine."""
import math
from collections import Counter, defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink, ClaimTerm, MatchStats, MatchTerm, PendingLink, Verdict
from factcheck.services.links.match_index import terms_of
from factcheck.services.verdicts.summary import summarise

SUMMARY_FIELDS = ("status", "consensus_category", "consensus_score", "verdicts_disagree",
                  "sources_disagree", "contest_score")


def integrity_problems(engine: sa.Engine) -> list[str]:
    """Every broken invariant, described; an empty list means the database is sound."""
    problems = _engine_checks(engine) + _dangling_references(engine)
    with Session(engine) as session:
        claims = session.scalars(select_claims()).all()
        problems += _removed(session, [claim for claim in claims if claim.removed_at is not None])
        claims = [claim for claim in claims if claim.removed_at is None]
        problems += _groups(session, claims) + _links(session) + _index(session, claims)
        problems += _verdicts(session) + _summaries(claims)
    return problems


def stored_writes(engine: sa.Engine) -> tuple[dict, dict]:
    """Claims (id -> text) and verdicts (id -> (claim id, rating)), to compare with what the
    server acknowledged."""
    with engine.connect() as connection:
        claims = dict(connection.execute(sa.select(Claim.id, Claim.text)).all())
        verdicts = {id_: (claim_id, rating) for id_, claim_id, rating in connection.execute(
            sa.select(Verdict.id, Verdict.claim_id, Verdict.rating))}
    return claims, verdicts


def select_claims():
    return sa.select(Claim).options(selectinload(Claim.verdicts), selectinload(Claim.appearances))


def _engine_checks(engine) -> list[str]:
    if engine.dialect.name != "sqlite":
        return []  # PostgreSQL enforces foreign keys itself and has no cheap page-level check
    with engine.connect() as connection:
        result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    problems = [] if result == ["ok"] else [f"integrity_check: {result}"]
    return problems + [f"foreign_key_check: {tuple(row)}" for row in orphans]


def _dangling_references(engine) -> list[str]:
    """Every foreign key of the models, checked by a query (so on PostgreSQL too)."""
    problems = []
    with engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for fk in table.foreign_keys:
                # An alias, so that a self-reference (verdicts.superseded_by_id) is not correlated.
                column, referred = fk.parent, fk.column.table.alias("referred")
                target = referred.c[fk.column.name]
                missing = connection.scalar(
                    sa.select(sa.func.count()).select_from(table)
                    .where(column.is_not(None), ~sa.exists().where(target == column)))
                if missing:
                    problems.append(f"{missing} rows of {table.name}.{column.name} name no {fk.target_fullname}")
    return problems


def _groups(session, claims) -> list[str]:
    """Groups are exactly the components of confirmed links, each named by its lowest id."""
    parent = {claim.id: claim.id for claim in claims}

    def root(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in session.execute(sa.select(ClaimLink.claim_id, ClaimLink.other_id)
                                .where(ClaimLink.status == "confirmed")):
        if a not in parent or b not in parent:
            continue  # a dangling link, reported by _dangling_references
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    return [f"claim {claim.id} is in group {claim.group_id}; its confirmed links make it {root(claim.id)}"
            for claim in claims if claim.group_id != root(claim.id)]


def _removed(session, removed) -> list[str]:
    """A claim an editor removed is in no group, index, link or linker's queue."""
    ids = [claim.id for claim in removed]
    problems = [f"removed claim {claim.id} is in group {claim.group_id}" for claim in removed
                if claim.group_id is not None]
    for what, column in (("postings", ClaimTerm.claim_id), ("a place in the linker's queue", PendingLink.claim_id),
                         ("links", ClaimLink.claim_id), ("links", ClaimLink.other_id)):
        problems += [f"removed claim {claim_id} has {what}" for claim_id in
                     set(session.scalars(sa.select(column).where(column.in_(ids))))]
    return problems


def _links(session) -> list[str]:
    pairs = session.execute(sa.select(ClaimLink.claim_id, ClaimLink.other_id)).all()
    problems = [f"link pair {pair} is not ordered" for pair in pairs if pair[0] >= pair[1]]
    return problems + [f"link pair {pair} stored {n} times" for pair, n in Counter(pairs).items() if n > 1]


def _index(session, claims) -> list[str]:
    """Every claim is linked (none left pending); postings, document frequencies and corpus
    figures agree with the claims' texts."""
    pending = set(session.scalars(sa.select(PendingLink.claim_id)))
    problems = [f"claim {claim_id} still waits for the linker" for claim_id in sorted(pending)]
    postings = Counter(session.scalars(sa.select(ClaimTerm.claim_id)))
    linked = [claim for claim in claims if claim.id not in pending]
    for claim in linked:
        terms = terms_of(claim.text)
        if claim.n_terms != len(terms) or postings[claim.id] != len(set(terms)):
            problems.append(f"claim {claim.id}: n_terms {claim.n_terms} and {postings[claim.id]} postings,"
                            f" but its text has {len(terms)} terms ({len(set(terms))} distinct)")
    stats = session.execute(sa.select(MatchStats.claims, MatchStats.terms)).all()
    expected = (len(linked), sum(claim.n_terms for claim in linked))
    if stats != [expected] and not (not linked and stats == []):
        problems.append(f"match_stats (claims, terms) is {stats}, the linked claims say {expected}")
    df = session.execute(
        sa.select(MatchTerm.term, MatchTerm.df, sa.func.count(ClaimTerm.claim_id))
        .outerjoin(ClaimTerm, ClaimTerm.term_id == MatchTerm.id).group_by(MatchTerm.id, MatchTerm.term, MatchTerm.df)
        .having(MatchTerm.df != sa.func.count(ClaimTerm.claim_id))).all()
    return problems + [f"term {term!r}: df {n} but {count} postings" for term, n, count in df]


def _verdicts(session) -> list[str]:
    """A publisher has at most one current published verdict per claim; supersession stays
    within the claim and the publisher."""
    current = Counter(session.execute(
        sa.select(Verdict.claim_id, Verdict.publisher_id)
        .where(Verdict.status == "published", Verdict.superseded_by_id.is_(None))).all())
    problems = [f"claim {c}, publisher {p}: {n} current published verdicts"
                for (c, p), n in current.items() if n > 1]
    later = sa.orm.aliased(Verdict)
    crossed = session.execute(
        sa.select(Verdict.id, later.id).join(later, later.id == Verdict.superseded_by_id)
        .where((later.claim_id != Verdict.claim_id) | (later.publisher_id != Verdict.publisher_id))).all()
    return problems + [f"verdict {a} superseded by {b} of another claim or publisher" for a, b in crossed]


def _summaries(claims) -> list[str]:
    """Every member of a group shows the summary of the whole group's evidence."""
    groups = defaultdict(list)
    for claim in claims:
        groups[claim.group_id].append(claim)
    problems = []
    for group_id, members in groups.items():
        want = summarise([v for c in members for v in c.verdicts], [a for c in members for a in c.appearances])
        for claim in members:
            got = {field: getattr(claim, field) for field in SUMMARY_FIELDS}
            if any(not _same(got[field], getattr(want, field)) for field in SUMMARY_FIELDS):
                problems.append(f"claim {claim.id} (group {group_id}) shows {got}, its evidence says {want}")
    return problems


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=1e-6)
    return a == b
