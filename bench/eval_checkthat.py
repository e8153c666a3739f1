"""Evaluate factcheck end to end on CheckThat! 2020 task 2 (train + dev), through the app.

Unlike bench/tune_matching.py (the engine on an in-memory index), this goes through the
service layer and a real database: verified claims stored with import_claims, tweets
ranked with services.links.decisions.match, tweets linked to each other as they arrive.

    .venv/bin/python bench/eval_checkthat.py [--database-url URL] [--semantic-weights 0.4,0.6]

Retrieval is printed by words alone (the lexical engine) and fused with the semantic stage at
each weight, on the same stored claims; linking runs with the semantic stage on.

Default: fresh temporary SQLite files. With a PostgreSQL URL, each database is a throwaway
schema (created and dropped here) in that database.
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bm25s  # noqa: F401  (imported here so that its logger can be quietened)
import flask_migrate
import sqlalchemy as sa
from harness import drop_schema
from tune_matching import DATA, bm25s_rankings, canonical_claims, evaluate, load, pr

from factcheck import create_app, settings
from factcheck.extensions import db
from factcheck.matching import prepare
from factcheck.models import Claim, ClaimLink
from factcheck.services.exchange.bulk import import_claims
from factcheck.services.links.decisions import match
from factcheck.services.links.embeddings import forget_vectors

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import


@contextmanager
def fresh_app(base_url: str | None, workdir: Path, name: str):
    """A migrated app on an empty database: a new SQLite file, or a new PostgreSQL schema."""
    schema = None
    if base_url is None:
        url = f"sqlite:///{workdir / f'{name}.db'}"
    else:
        schema = f"factcheck_eval_{name}_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(base_url)
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        engine.dispose()
        url = f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    try:
        logging.disable(logging.INFO)  # alembic's per-migration lines
        with app.app_context():
            flask_migrate.upgrade()
        logging.disable(logging.NOTSET)
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_schema(base_url, schema)


def timed_import(app, texts: list[str], what: str) -> list[int]:
    """Import texts, in order; return the stored claim id of each (a repeated text is
    stored once, as bulk import merges exact copies), found by text."""
    with app.app_context():
        start = time.perf_counter()
        summary = import_claims({"text": t} for t in texts)
        seconds = time.perf_counter() - start
        rows = db.session.execute(sa.select(Claim.id, Claim.text).order_by(Claim.id)).all()
        stored_links = db.session.scalar(sa.select(sa.func.count(ClaimLink.id)))
    by_text: dict[str, int] = {}
    for claim_id, text in rows:
        by_text.setdefault(text, claim_id)
    missing = [i for i, text in enumerate(texts) if text.strip() not in by_text]
    if missing:
        sys.exit(f"import of {what}: texts at position(s) {missing[:5]} were not stored")
    print(f"import_claims: {len(texts)} {what} ({summary.created} distinct) in {seconds:.1f} s = "
          f"{len(texts) / seconds:.0f} claims/s (batches of 500, linking included; {stored_links} links)")
    return [by_text[text.strip()] for text in texts]


def read_links(app) -> tuple[list[tuple[int, int, str]], dict[int, int]]:
    with app.app_context():
        links = db.session.execute(sa.select(ClaimLink.claim_id, ClaimLink.other_id, ClaimLink.status)).all()
        groups = dict(db.session.execute(sa.select(Claim.id, Claim.group_id)).all())
    return [tuple(link) for link in links], groups


def variants(app, weights: list[float]):
    """Each ranking to evaluate, named: words alone, then fused at each semantic weight."""
    model = app.config["SEMANTIC_MODEL"]
    for name, semantic_model, weight in [("words alone", "off", 0.0)] + [
            (f"fused, semantic weight {w:g}", model, w) for w in weights]:
        app.config.update(SEMANTIC_MODEL=semantic_model, MATCH_SEMANTIC_WEIGHT=weight)
        settings.init_app(app)
        with app.app_context():
            forget_vectors()
        yield name
    app.config.update(SEMANTIC_MODEL=model)
    settings.init_app(app)


def retrieval(app, claims: dict[int, str], splits: dict, weights: list[float]) -> None:
    """Rank verified claims for every tweet with match(); compare with bm25s baseline (a)."""
    vclaim_ids = list(claims)
    stored = timed_import(app, [claims[v] for v in vclaim_ids], "verified claims")
    vclaim_of = dict(zip(stored, vclaim_ids))
    links, group_of = read_links(app)
    members: dict[int, set[int]] = {}
    for claim_id, group_id in group_of.items():
        members.setdefault(group_id, set()).add(vclaim_of[claim_id])

    canon = canonical_claims(claims)
    status = Counter(s for _, _, s in links)
    copies = sum(1 for a, b, s in links if s == "confirmed" and canon[vclaim_of[a]] == canon[vclaim_of[b]])
    grouped = [g for g in members.values() if len(g) > 1]
    print(f"links among the verified claims themselves: {status['confirmed']} confirmed "
          f"({copies} between copies with the same words), {status['suggested']} suggested; "
          f"{len(grouped)} groups of 2+ claims hold {sum(map(len, grouped))} claims")

    print(f"\n== retrieval: {len(claims)} verified claims, MAP@5 / P@1 ==")
    for split, (tweets, qrels) in splits.items():
        ap, p1 = evaluate(bm25s_rankings(claims, tweets, False, 1.5, 0.75), qrels)
        print(f"{split:5} {'bm25s plain (k1=1.5 b=0.75), baseline':58} MAP@5 {ap:.4f}  P@1 {p1:.4f}")
    for variant in variants(app, weights):
        latencies: list[float] = []
        for split, (tweets, qrels) in splits.items():
            strict, by_group = {}, {}
            for q, text in tweets.items():
                with app.app_context():
                    start = time.perf_counter()
                    found = match(text, 5)
                    latencies.append((time.perf_counter() - start) * 1000)
                    returned = [(item["claim"]["id"], item["claim"]["group_id"]) for item in found]
                strict[q] = [vclaim_of[claim_id] for claim_id, _ in returned]
                # A returned group counts as the relevant vclaim when the group holds it.
                by_group[q] = [next(iter(members[g] & qrels[q]), vclaim_of[c]) for c, g in returned]
            for name, rankings in (("own vclaim", strict), ("any vclaim in group", by_group)):
                ap, p1 = evaluate(rankings, qrels)
                print(f"{split:5} {f'match(), {variant}, {name}':58} MAP@5 {ap:.4f}  P@1 {p1:.4f}")
        print(f"      match(), {variant}: latency over {len(latencies)} queries: median "
              f"{statistics.median(latencies):.1f} ms, p95 {statistics.quantiles(latencies, n=20)[-1]:.1f} ms")
    print("(match() returns one claim per group, its best-scoring member. 'own vclaim': relevant only if the\n"
          " returned claim is the qrels' verified claim itself (as for the baseline), so a relevant claim\n"
          " behind a better-scoring member of its group is a miss. 'any vclaim in group': relevant if the\n"
          " group holds the qrels' claim, e.g. as an auto-linked copy of the returned claim: the data\n"
          " holds verified claims with the same words twice, and the qrels name one copy arbitrarily.)")


def linking(app, claims: dict[int, str], splits: dict) -> None:
    """Store tweets one claim each in arrival order; judge claim_links pairwise by the qrels."""
    canon = canonical_claims(claims)  # copies of one verified claim count as one (see there)
    texts, vclaims = [], []
    for tweets, qrels in splits.values():
        for q, text in tweets.items():
            texts.append(text)
            vclaims.append(frozenset(canon[v] for v in qrels.get(q, ())))
    print(f"\n== linking: {len(texts)} tweets (train then dev) stored one claim each ==")
    stored = timed_import(app, texts, "tweets")
    position = {claim_id: i for i, claim_id in reversed(list(enumerate(stored)))}
    n = len(texts)
    truth = {(a, b) for a in range(n) for b in range(a + 1, n) if vclaims[a] & vclaims[b]}
    links, group_of = read_links(app)
    pairs = {s: {tuple(sorted((position[a], position[b]))) for a, b, st in links if st == s}
             for s in ("confirmed", "suggested")}
    in_group = {(a, b) for a in range(n) for b in range(a + 1, n)
                if group_of[stored[a]] == group_of[stored[b]]}
    print(f"{len(truth)} true pairs (tweets the qrels give the same verified claim, copies merged)")
    print(f"confirmed links:            {pr(pairs['confirmed'], truth)}")
    print(f"suggested+confirmed links:  {pr(pairs['confirmed'] | pairs['suggested'], truth)}")
    print(f"pairs in one group:         {pr(in_group, truth)}  (confirmed links, transitively)")
    wrong = sorted((pairs["confirmed"] | pairs["suggested"]) - truth)
    for a, b in wrong[:3]:
        print(f"  false link: {prepare(texts[a])[:60]!r} ~ {prepare(texts[b])[:60]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL URL (a schema is made in it); default: SQLite")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--semantic-weights", default="0.8",
                        help="comma-separated shares of the cosine in the fused ranking to evaluate")
    args = parser.parse_args()
    if not (args.data / "verified_claims.docs.tsv").is_file():
        print(f"CheckThat! 2020 task 2 data not found at {args.data} (see shared/data/README.md); "
              "nothing measured.", file=sys.stderr)
        return 2
    if args.database_url and args.database_url.startswith("sqlite"):
        parser.error("--database-url is for PostgreSQL; SQLite is the default (temporary files)")
    claims, splits = load(args.data)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"factcheck on CheckThat! 2020 task 2 (train {len(splits['train'][0])} + dev "
          f"{len(splits['dev'][0])} tweets), {backend}")
    with tempfile.TemporaryDirectory(prefix="factcheck-eval-") as workdir:
        with fresh_app(args.database_url, Path(workdir), "vclaims") as app:
            retrieval(app, claims, splits, [float(w) for w in args.semantic_weights.split(",")])
        with fresh_app(args.database_url, Path(workdir), "tweets") as app:
            linking(app, claims, splits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
