"""What one request costs a worker's CPU, counted in instructions by valgrind's callgrind,
beside a bare Flask app in the same run: the figure that does not move with the machine's load.

    SEMANTIC_MODEL=off .venv/bin/python bench/request_cost.py [--database-url URL | --reuse URL] [--requests 200]

(With the sentence model on, its encoding runs under callgrind too, many times slower.)

bench/load.py measures requests per second, which on a shared 2-CPU machine vary by 15%
from one run to the next. Instructions repeat to a fraction of a percent, so they show what
a change to the request path is worth. Builds a database (default: a temporary SQLite file;
with a PostgreSQL URL, a throwaway schema in it), migrates it and loads the seed story
(--reuse measures a database bench/load.py --keep built instead). Each endpoint is then
called through the WSGI app in a Python process under callgrind, twice: after W warm-up
requests, once with no more and once with N more; the difference over N is one request's
instructions (the interpreter's start-up and the app's drop out). PostgreSQL's own work is
in its server process and is not counted. A write, POST /claims, posts a new claim each time
(with a factchecker token made for the run), linked as the API links it: the two runs then
take turns rather than share the database at once.
Needs valgrind (Debian's package valgrind).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))

from harness import database_url, drop_schema, flask

API = "/api/v1"
WARM_UP = 50
BARE = "bare Flask {\"ok\": true}"
MATCH_BODY = json.dumps({"text": "Israel told Russia in advance about the Latakia strike", "limit": 5})
# "{claim}" is each request's own new claim (CHILD's new_claim), with its source.
NEW_CLAIM = json.dumps({"text": "{claim}", "claimant": {"name": "{claimant}"}, "appearances": [
    {"url": "https://news.example.com/{n}", "stance": "asserts"}]})
# (name, method, path, body)
ENDPOINTS = [
    (BARE, "GET", "bare", None),
    ("GET /health (a SELECT 1)", "GET", f"{API}/health", None),
    ("GET /claims/{id}", "GET", f"{API}/claims/1", None),
    ("GET /claims", "GET", f"{API}/claims", None),
    ("GET /claims/contested", "GET", f"{API}/claims/contested", None),
    ("POST /claims/match", "POST", f"{API}/claims/match", MATCH_BODY),
    ("POST /claims (a new claim)", "POST", f"{API}/claims", NEW_CLAIM),
]
# Run under callgrind: W warm-up requests, then n more. Every environ is built before the
# first request, as many in both runs, so that building them is not counted in the difference.
CHILD = r"""
import os, sys
from werkzeug.test import EnvironBuilder
method, path, body, warm, n, most = sys.argv[1:4] + [int(x) for x in sys.argv[4:7]]
if path == "bare":
    from flask import Flask
    app, path = Flask("bare"), "/"
    app.get("/")(lambda: {"ok": True})
else:
    from app import app
WHO = "the governor|the senator|the ministry|the city council|the army|the central bank|a viral post|the mayor"
DID = "cut|raised|doubled|froze|hid|spent|lost|promised"
WHAT = "school funding|fuel taxes|police budgets|hospital beds|pension payments|border patrols|housing grants|water prices"
WHERE = "Latakia|Ohio|Lagos|Manila|Texas|Kyiv|Lima|Leeds"
def new_claim(i):
    # Request i of this run (the two runs apart), its words picked by i's digits: no two alike.
    k = i + (10_000 if n else 0)
    words = []
    for choices in (WHO, DID, WHAT, WHERE):
        words.append(choices.split("|")[k % 8])
        k //= 8
    return (f"{words[0].capitalize()} {words[1]} {words[2]} in {words[3]} by {2 + k % 96} percent "
            f"in {1990 + (i * 7) % 36}."), words[0].title()
def body_of(i):
    if not body or "{claim}" not in body:
        return body or None
    text, claimant = new_claim(i)
    return body.replace("{claim}", text).replace("{claimant}", claimant).replace("{n}", f"{n}-{i}")
token = os.environ.get("BENCH_TOKEN")
environs = [EnvironBuilder(path=path, method=method, data=body_of(i), content_type="application/json" if body else None,
                           headers={"Authorization": f"Bearer {token}"} if token else None).get_environ()
            for i in range(warm + most)]
statuses = set()
for environ in environs[:warm + n]:
    answer = app(environ, lambda status, headers: statuses.add(status))
    b"".join(answer)
    answer.close()
if statuses != {"201 CREATED" if "{claim}" in body else "200 OK"}:
    sys.exit(f"answered {statuses}")
"""


def instructions(env: dict, method: str, path: str, body: str | None, n: int, most: int) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD,
         method, path, body or "", str(WARM_UP), str(n), str(most)],
        cwd=PROJECT, env=env, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None:
        sys.exit(f"{method} {path} failed under callgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_request(env: dict, method: str, path: str, body: str | None, n: int) -> float:
    """Instructions of one request: the two runs side by side, one per CPU (a write's one
    after the other: each adds claims)."""
    with ThreadPoolExecutor(1 if body == NEW_CLAIM else 2) as pool:
        without, with_n = pool.map(lambda k: instructions(env, method, path, body, k, n), (0, n))
    return (with_n - without) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL URL (a schema is made in it); default: SQLite")
    parser.add_argument("--reuse", metavar="URL", help="measure this database (bench/load.py --keep prints one)")
    parser.add_argument("--requests", type=int, default=200, help="requests counted per endpoint (default 200)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind not found (apt-get install valgrind); nothing measured.", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="factcheck-cost-"))
    url, schema = (args.reuse, None) if args.reuse else database_url(args.database_url, workdir)
    env = {**os.environ, "DATABASE_URL": url, "FACTCHECK_INSTANCE_DIR": str(workdir),
           "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        flask(env, "db", "upgrade")
        if not args.reuse:
            print(flask(env, "seed").strip())
        env["BENCH_TOKEN"] = flask(env, "create-token", "--name", "bench-writer", "--organisation", "Bench desk",
                                   "--site", "bench.example.org").split()[-1]
        backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"Counting {args.requests} requests per endpoint on {backend} under callgrind "
              f"(two runs of ~1 min each per line) ...", flush=True)
        rows = []
        for name, method, path, body in ENDPOINTS:
            rows.append((name, per_request(env, method, path, body, args.requests)))
            print(f"  {name}: {rows[-1][1]:,.0f}", flush=True)
    finally:
        drop_schema(args.database_url, schema)
        shutil.rmtree(workdir, ignore_errors=True)

    bare = rows[0][1]
    print(f"\nInstructions per request in process on {backend} ({args.requests} counted after {WARM_UP} "
          f"warm-up), and the bare app's over them (the share of a worker's CPU bare Flask would leave):")
    print(f"{'endpoint':<28} {'instructions':>12} {'vs bare':>8}")
    for name, count in rows:
        print(f"{name:<28} {count:>12,.0f} {bare / count:>8.2f}")
    print("gunicorn's own work per request is not counted: under gunicorn (bench/load.py) every "
          "ratio is nearer 1.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
