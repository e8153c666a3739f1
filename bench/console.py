"""Console benchmark: each console page and the review queue, server time in process, beside bare Flask.

Builds a store (migrated, `flask seed`, then N LIAR claims through services.exchange.bulk as
bench/load.py does, 300 of them contested), signs a factchecker in, and times each request
through Flask's test client (the WSGI app's own time: no network, no browser), after a
warm-up, beside a bare Flask endpoint answering {"ok": true} timed the same way in the same
run. Prints median and p95 per page. The goal: every page's median <= 30 ms.

    .venv/bin/python bench/console.py [--claims 10000] [--database-url URL | --reuse URL] [--requests 200]
        [--liar ../shared/data/liar]

The pages are measured with the app's SEMANTIC_MODEL, and the store is built with it:
SEMANTIC_MODEL=off builds by words alone, about three times as fast (docs/performance.md),
and then "check" matches by words alone too. A store given with --reuse is first migrated
to the schema of the code measured.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))
sys.path.insert(0, str(PROJECT))

import load
from load import database_url, flask, liar_rows, load_claims, stored_claims, tweets

WARM_UP = 20
GOAL_MS = 30.0
BARE = 'bare Flask {"ok": true}'


def signed_in(app, client) -> None:
    """Sign the client in as a factchecker, as a person would (the sign-in form and its CSRF token)."""
    from factcheck.services.accounts import tokens

    with app.app_context():
        _, secret = tokens.create_token("bench factchecker", "factchecker", site="bench.example.org")
    page = client.get("/console/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/console/sign-in", data={"token": secret, "csrf_token": csrf})
    assert response.status_code == 303, response.get_data(as_text=True)
    client.csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                            client.get("/console/").get_data(as_text=True)).group(1)


def timed(client, requests: list[tuple[str, str, dict]], n: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each of n requests, cycling through `requests`, after a warm-up: wall
    time, and this process's CPU time (steadier on a shared machine; without PostgreSQL's)."""
    wall, cpu = [], []
    for i in range(WARM_UP + n):
        method, path, data = requests[i % len(requests)]
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.open(path, method=method, data=data or None)
        elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
        if i >= WARM_UP:
            wall.append(elapsed)
            cpu.append(elapsed_cpu)
    return wall, cpu


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=10_000, help="LIAR claims to load (default 10,000)")
    parser.add_argument("--database-url", help="a PostgreSQL URL: a fresh schema in it (default: SQLite)")
    parser.add_argument("--reuse", help="measure a store an earlier run built (its URL)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--liar", type=Path, default=load.LIAR, help=f"the LIAR folder (default {load.LIAR})")
    args = parser.parse_args()
    load.LIAR = args.liar

    from flask import Flask

    from factcheck import create_app

    workdir = Path(tempfile.mkdtemp(prefix="factcheck-console-bench-"))
    url = args.reuse or database_url(args.database_url, workdir)[0]
    env = {**os.environ, "DATABASE_URL": url, "FACTCHECK_INSTANCE_DIR": str(workdir)}
    flask(env, "db", "upgrade")  # a reused store too: to the schema of the code measured
    if not args.reuse:
        flask(env, "seed")
        print(f"Loading {args.claims:,} LIAR claims ...", flush=True)
        load_claims(url, args.claims)
    highest, count = stored_claims(url)
    print(f"Store: {count:,} claims ({url.split('?')[0]}); keep it with --reuse '{url}'")

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATE_LIMIT_PER_MINUTE": 10**9})
    client = app.test_client()
    signed_in(app, client)
    rng = random.Random(7)
    claim_pages = [("GET", f"/console/claims/{rng.randint(1, highest)}", {}) for _ in range(args.requests)]
    with app.app_context():
        from factcheck.extensions import db
        from factcheck.models import Claim
        existing = set(db.session.scalars(db.select(Claim.id).where(
            Claim.id.in_({int(path.rsplit("/", 1)[1]) for _, path, _ in claim_pages}))))
    claim_pages = [page for page in claim_pages if int(page[1].rsplit("/", 1)[1]) in existing]
    checks = [("POST", "/console/check", {"text": text, "csrf_token": client.csrf})
              for text in tweets(liar_rows(), args.requests, rng)]
    pages = {
        "GET /console/ (inbox)": [("GET", "/console/", {})],
        "GET /console/contested": [("GET", "/console/contested", {})],
        "GET /console/claims/{id}": claim_pages,
        "POST /console/check (a tweet)": checks,
        "GET /api/v1/links (queue)": [("GET", "/api/v1/links", {})],
        "GET /api/v1/links?order=newest": [("GET", "/api/v1/links?order=newest", {})],
    }
    bare = Flask("bare")
    bare.get("/")(lambda: {"ok": True})
    bare_client = bare.test_client()

    rows = [(BARE, timed(bare_client, [("GET", "/", {})], args.requests))]
    for name, requests in pages.items():
        rows.append((name, timed(client, requests, args.requests)))
    rows.append((f"{BARE} (again)", timed(bare_client, [("GET", "/", {})], args.requests)))

    bare_median = statistics.median(rows[0][1][0] + rows[-1][1][0])
    print(f"\n{args.requests} requests each after {WARM_UP} of warm-up, in process (Flask's test client), "
          f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}:")
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'median / bare':>14} {'CPU median':>11} {'CPU p95':>8}  goal")
    for name, (wall, cpu) in rows:
        median = statistics.median(wall)
        goal = "" if name.startswith(BARE) else ("ok" if median <= GOAL_MS else f"> {GOAL_MS:.0f} ms")
        print(f"{name:<34} {median:>10.2f} {p95(wall):>8.2f} {median / bare_median:>14.1f} "
              f"{statistics.median(cpu):>11.2f} {p95(cpu):>8.2f}  {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
