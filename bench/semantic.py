"""The semantic stage's costs, beside matching by words alone in the same run, on one engine.

    .venv/bin/python bench/semantic.py [--claims 20000] [--database-url URL] [--queries 200]

Builds two fresh databases (SQLite files, or throwaway schemas of a PostgreSQL URL) of N
LIAR claims and their varied copies through import_claims (as bench/load.py does): one with
the semantic stage on, one with it off. Prints for each: the bulk import's claims/s (and,
with the stage on, its share of the encoder's own batch rate, measured first), the latency
of `match` for new texts (LIAR statements asked as questions) and of POST /api/v1/claims one after
another, in process; then this process's peak memory.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import flask_migrate
from harness import claim_bodies, database_url, drop_schema, liar_rows

from factcheck import create_app
from factcheck.extensions import db
from factcheck.semantic import load_encoder
from factcheck.services.accounts import tokens
from factcheck.services.exchange.bulk import import_claims
from factcheck.services.links.decisions import match

MODEL = "all-MiniLM-L6-v2"


def percentiles(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.1f} ms, p95 {statistics.quantiles(values, n=20)[-1]:.1f} ms"


def encoder_rate(texts: list[str], precision: str) -> tuple[float, str]:
    """Texts/s of the model in `precision` ("auto": as the app runs it), and the precision it ran in."""
    encoder = load_encoder(MODEL, precision=precision)
    encoder.encode(texts[:64])
    start = time.perf_counter()
    encoder.encode(texts)
    return len(texts) / (time.perf_counter() - start), encoder.precision


def run(base_url: str | None, semantic: str, n: int, queries: list[str], writes: list[str]) -> float:
    with tempfile.TemporaryDirectory(prefix="factcheck-semantic-") as workdir:
        url, schema = database_url(base_url, Path(workdir))
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SEMANTIC_MODEL": semantic,
                          "RATE_LIMIT_PER_MINUTE": 10**6})
        try:
            with app.app_context():
                flask_migrate.upgrade()
                bodies, start = list(claim_bodies(liar_rows(), n)), time.perf_counter()
                for first in range(0, n, 10_000):
                    import_claims(bodies[first:first + 10_000], batch_size=500)
                rate = n / (time.perf_counter() - start)
                print(f"  import_claims, {n:,} claims: {rate:,.0f} claims/s", flush=True)
                timings = []
                for text in queries:
                    started = time.perf_counter()
                    match(text, 5)
                    timings.append((time.perf_counter() - started) * 1000)
                print(f"  match, {len(queries)} new texts: {percentiles(timings)}", flush=True)
                _, secret = tokens.create_token("bench", "factchecker", "Bench desk", site="bench.example.org")
            client, timings = app.test_client(), []
            for text in writes:
                started = time.perf_counter()
                response = client.post("/api/v1/claims", json={"text": text},
                                       headers={"Authorization": f"Bearer {secret}"})
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 201, response.get_data(as_text=True)
            print(f"  POST /api/v1/claims, {len(writes)} one after another: {percentiles(timings)}", flush=True)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            drop_schema(base_url, schema)
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--database-url", help="PostgreSQL URL (a schema is made in it); default: SQLite")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rows = liar_rows()
    # New texts, as a newsroom asks about what may be stored: LIAR statements, reworded a little.
    fresh = [text for _, text, _ in reversed(rows)][: 2 * args.queries]
    queries = [f"Is it true that {text}" for text in fresh[: args.queries]]
    writes = [f"{text} (bench {i})" for i, text in enumerate(fresh[args.queries:])]
    engine = "PostgreSQL" if args.database_url else "SQLite"
    statements = [text for _, text, _ in rows[:2000]]
    ceiling, precision = encoder_rate(statements, "auto")
    baseline, _ = encoder_rate(statements, "float32")
    print(f"{MODEL}, one torch thread: {ceiling:,.0f} texts/s in {precision} (float32: {baseline:,.0f}) "
          "encoding 2,000 LIAR statements in batches")
    print(f"== {engine}, semantic stage on ==")
    rate = run(args.database_url, MODEL, args.claims, queries, writes)
    print(f"  import with embeddings at {rate / ceiling:.0%} of the encoder's rate")
    print(f"== {engine}, words alone (SEMANTIC_MODEL=off) ==")
    run(args.database_url, "off", args.claims, queries, writes)
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
