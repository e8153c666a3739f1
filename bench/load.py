"""Load benchmark: the API under gunicorn on loopback, beside a bare Flask endpoint as ceiling.

    .venv/bin/python bench/load.py [--database-url URL] [--claims 100000] [--duration 10]
                                   [--connections 8] [--loadgen wrk|python] [--keep | --reuse URL]
                                   [--only 'GET /claims/{id}' ...]

Builds a fresh database (default: a temporary SQLite file; with a PostgreSQL URL, a
throwaway schema in it), migrates it, runs `flask seed`, loads N LIAR claims
(../shared/data/liar, varied deterministically past its 12,836 statements) through
services.exchange.bulk.import_claims, gives 300 of them disagreeing verdicts so the contested
list has pages to show, creates a token, and serves the app with the project's
gunicorn.conf.py on a loopback port. A bare Flask app answering {"ok": true} runs under the
same gunicorn settings in the same run: the ceiling for any Flask app on this machine
(measured before and after the API; the mean is the ceiling).

Load comes from wrk (installed with apt-get from Debian's packages when missing), or with
--loadgen python from bounded threads of http.client. Prints req/s, p50/p99 latency, the
answers that were not 2xx and the ratio to the ceiling per endpoint, with GET /health (one
SELECT 1, in autocommit on PostgreSQL) for reference: the floor for any endpoint that reads the
database. Goal: read endpoints at >= 0.5 of the ceiling.
Stops every process it started and drops what it built (unless --keep, which prints the
URL to measure the same database again with --reuse, skipping the import).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    API,
    LIAR,
    PROJECT,
    Request,
    Server,
    database_url,
    drop_schema,
    ensure_wrk,
    flask,
    liar_rows,
    load_claims,
    lua_string,
    stored_claims,
)

BARE = 'bare Flask {"ok": true}'
HEALTH = "GET /health (a SELECT 1)"
READS = ("GET /claims/contested", "GET /claims/{id}", "POST /claims/match")  # the goal: >= 0.5 of bare
ENDPOINTS = (HEALTH, *READS, "POST /claims/{id}/verdicts")
BARE_APP = '''"""A bare Flask JSON endpoint: the ceiling for any Flask app under these gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok():
    return {"ok": True}
'''
# Per-request sample for wrk: cycle through pre-built requests from a random start per thread.
LUA = r'''
local raw = {%s}
local reqs, i = {}, 0
local counter = 1
local threads = {}
function setup(thread) thread:set("tid", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  for k, r in ipairs(raw) do reqs[k] = wrk.format(r[1], r[2], r[3], r[4]) end
  math.randomseed(tid * 7919); i = math.random(#reqs)
end
function request() i = i %% #reqs + 1; return reqs[i] end
bad = ""
function response(status, headers, body) if status >= 300 then bad = bad .. status .. " " end end
function done(summary, latency, requests)
  local e = summary.errors
  local statuses = ""
  for _, t in ipairs(threads) do statuses = statuses .. (t:get("bad") or "") end
  io.write("WRK_STATUSES " .. statuses .. "\n")
  io.write(string.format('WRK {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"non2xx": %%d, "socket_errors": %%d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
'''


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non2xx: int
    socket_errors: int
    statuses: dict[int, int] = field(default_factory=dict)  # the answers that were not 2xx
    restarts: int = 0  # workers gunicorn replaced during the run (max_requests)

    def failures(self) -> str:
        codes = ", ".join(f"{n} x {code}" for code, n in sorted(self.statuses.items()))
        return f"{self.non2xx + self.socket_errors}" + (f" ({codes})" if codes else "")


# --- the data ---
def tweets(rows, n: int, rng: random.Random) -> list[str]:
    handles = ["jdoe", "newsdesk", "factfan", "citizen_k", "debunkit"]
    out = []
    for _ in range(n):
        _, text, _ = rng.choice(rows)
        words = text.split()
        if len(words) > 12:
            start = rng.randrange(len(words) - 10)
            words = words[start:start + rng.randint(10, 25)]
        handle = rng.choice(handles)
        out.append(f"{' '.join(words)} https://t.co/{uuid.UUID(int=rng.getrandbits(128)).hex[:10]} "
                   f"— {handle.title()} (@{handle}) September {rng.randint(1, 28)}, 2018")
    return out


BENCH_NEWSROOM, BENCH_SITE = "Load bench desk", "load-desk.example.org"


def newsroom_with_site(url: str, name: str, site: str) -> None:
    """The bench token's newsroom, with the site its verdicts are published under."""
    from factcheck import create_app
    from factcheck.extensions import db
    from factcheck.models import Organisation
    from factcheck.services.claims.sources import get_or_create
    from factcheck.storage.uow import transaction

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with transaction() as session:
            get_or_create(session, Organisation, {"name": name}).site = site
        db.session.remove()
        db.engine.dispose()


# --- the load generators ---
def run_wrk(port: int, requests: list[Request], seconds: float, connections: int, workdir: Path) -> dict:
    entries = []
    for r in requests:
        headers = "{" + ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in (r.headers or {}).items()) + "}"
        body = lua_string(r.body) if r.body is not None else "nil"
        entries.append(f"{{{lua_string(r.method)}, {lua_string(r.path)}, {headers}, {body}}}")
    script = workdir / "load.lua"
    script.write_text(LUA % ",\n".join(entries), encoding="utf-8")
    threads = max(1, min(2, connections))
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                          "-s", str(script), f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    figures = json.loads(line[4:])
    statuses = next(line for line in out.splitlines() if line.startswith("WRK_STATUSES"))
    figures["statuses"] = Counter(statuses.split()[1:])
    return {"requests": figures["requests"], "seconds": figures["duration_us"] / 1e6,
            "p50_ms": figures["p50_us"] / 1000, "p99_ms": figures["p99_us"] / 1000,
            "non2xx": figures["non2xx"], "socket_errors": figures["socket_errors"],
            "statuses": {int(code): n for code, n in figures["statuses"].items()}}


def run_python(port: int, requests: list[Request], seconds: float, connections: int, _workdir) -> dict:
    """Threads with http.client, each bounded by the deadline and by a request budget."""
    latencies: list[float] = []
    counts = {"non2xx": 0, "socket_errors": 0}
    statuses: Counter = Counter()
    lock, deadline = threading.Lock(), time.monotonic() + seconds
    budget = 200_000 // connections

    def client(offset: int) -> None:
        conn, mine, bad, errors = http.client.HTTPConnection("127.0.0.1", port, timeout=30), [], Counter(), 0
        for k in range(budget):
            if time.monotonic() >= deadline:
                break
            r = requests[(offset + k) % len(requests)]
            start = time.perf_counter()
            try:
                conn.request(r.method, r.path, body=r.body, headers=r.headers or {})
                response = conn.getresponse()
                response.read()
                if not 200 <= response.status < 300:
                    bad[response.status] += 1
                if response.will_close:
                    conn.close()
            except OSError:
                errors += 1
                conn.close()
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            counts["non2xx"] += sum(bad.values())
            counts["socket_errors"] += errors
            statuses.update(bad)

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(random.randrange(len(requests)),)) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"requests": len(latencies), "seconds": elapsed, "p50_ms": quantiles[49] * 1000,
            "p99_ms": quantiles[98] * 1000, **counts, "statuses": dict(statuses)}


def measure(name, server, requests, args, workdir, generate) -> Result:
    generate(server.port, requests, 2, args.connections, workdir)  # warm-up: connections, compiled SQL
    restarted = server.restarts()
    f = generate(server.port, requests, args.duration, args.connections, workdir)
    result = Result(name, f["requests"] / f["seconds"], f["p50_ms"], f["p99_ms"], f["requests"],
                    f["non2xx"], f["socket_errors"], f["statuses"], server.restarts() - restarted)
    print(f"  {name}: {result.rps:,.0f} req/s", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL URL (a schema is made in it); default: SQLite")
    parser.add_argument("--claims", type=int, default=100_000, help="LIAR claims loaded (default 100000)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per endpoint (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--loadgen", choices=("wrk", "python"), default="wrk")
    parser.add_argument("--keep", action="store_true", help="keep the database and the work folder")
    parser.add_argument("--reuse", metavar="URL",
                        help="measure a database an earlier --keep run built (it prints the URL) instead")
    parser.add_argument("--only", action="append", metavar="ENDPOINT", choices=ENDPOINTS,
                        help="measure only this endpoint (repeat for more); default: all of them")
    args = parser.parse_args()
    if not LIAR.is_dir():
        print(f"LIAR data not found at {LIAR}; nothing measured.", file=sys.stderr)
        return 2
    generate = run_wrk if args.loadgen == "wrk" and ensure_wrk() else run_python
    workdir = Path(tempfile.mkdtemp(prefix="factcheck-load-"))
    url, schema = (args.reuse, None) if args.reuse else database_url(args.database_url, workdir)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    # No rate limit for the bench token: the figures are the server's, not the limiter's.
    env = {**os.environ, "DATABASE_URL": url, "FACTCHECK_INSTANCE_DIR": str(workdir),
           "RATE_LIMIT_PER_MINUTE": str(10**9), "PYTHONDONTWRITEBYTECODE": "1"}
    servers: list[Server] = []
    try:
        t0 = time.perf_counter()
        flask(env, "db", "upgrade")
        if args.reuse:
            max_id, count = stored_claims(url)
            stored = f"{count:,} claims stored by an earlier run"
        else:
            print(flask(env, "seed").strip())
            print(f"Loading {args.claims:,} LIAR claims on {backend} through import_claims ...", flush=True)
            max_id, import_rate = load_claims(url, args.claims)
            stored = f"{args.claims:,} LIAR claims + seed (imported at {import_rate:,.0f}/s)"
        newsroom_with_site(url, BENCH_NEWSROOM, BENCH_SITE)
        token = flask(env, "create-token", "--name", "Load bench", "--role", "factchecker",
                      "--organisation", BENCH_NEWSROOM).strip()
        print(f"Database ready in {time.perf_counter() - t0:.0f} s (highest claim id {max_id:,}).")
        (workdir / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
        bare = Server("bare", "bare_app:app", workdir, env, "/", workdir / "bare.log")
        servers.append(bare)
        api = Server("api", "app:app", PROJECT, env, f"{API}/health", workdir / "api.log")
        servers.append(api)
        bare.wait_ready()
        api.wait_ready()

        rows, rng = liar_rows(), random.Random(4)
        json_headers = {"Content-Type": "application/json"}
        auth = {**json_headers, "Authorization": f"Bearer {token}"}
        ratings = ["True", "Mostly True", "Half True", "Mostly False", "False", "Pants on Fire!"]
        plans = {
            # Not a goal: the floor for any endpoint that reads the database.
            HEALTH: [Request("GET", f"{API}/health")],
            "GET /claims/contested": [Request("GET", f"{API}/claims/contested")],
            "GET /claims/{id}": [Request("GET", f"{API}/claims/{rng.randint(1, max_id)}") for _ in range(2000)],
            "POST /claims/match": [Request("POST", f"{API}/claims/match", json.dumps({"text": t, "limit": 5}),
                                           json_headers) for t in tweets(rows, 500, rng)],
            # Signed by the token's newsroom, the only publisher it may write for.
            "POST /claims/{id}/verdicts": [Request(
                "POST", f"{API}/claims/{rng.randint(1, max_id)}/verdicts", json.dumps({
                    "rating": rng.choice(ratings)}), auth) for _ in range(2000)],
        }
        plans = {name: plan for name, plan in plans.items() if not args.only or name in args.only}
        load_before = os.getloadavg()
        label = (f"wrk -t{max(1, min(2, args.connections))} -c{args.connections}" if generate is run_wrk
                 else f"python http.client x{args.connections}")
        print(f"Measuring, {args.duration:g} s each ({label}) ...", flush=True)
        # The bare ceiling is measured before and after each endpoint, and each endpoint is
        # compared with the mean of its two neighbours: the machine's load drifts (others run too).
        ceiling = [Request("GET", "/")]
        bares = [measure(BARE, bare, ceiling, args, workdir, generate)]
        results = []
        for name, plan in plans.items():
            results.append(measure(name, api, plan, args, workdir, generate))
            bares.append(measure(BARE, bare, ceiling, args, workdir, generate))
        load_after = os.getloadavg()
        if any(r.non2xx or r.socket_errors for r in results):
            errors = [line for line in api.log.read_text(errors="replace").splitlines()
                      if "Error" in line or "error" in line]
            print("Some requests failed; the API's log says:\n  " + "\n  ".join(errors[-8:] or ["(nothing)"]))
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            drop_schema(args.database_url, schema)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif not args.reuse:
            print(f"Kept {workdir}; measure this database again with --reuse '{url}'")

    workers = os.environ.get("WEB_CONCURRENCY", os.cpu_count() * 2)
    print(f"\nfactcheck under gunicorn ({workers} sync workers, gunicorn.conf.py) on {backend}: "
          f"{stored}; {label}, "
          f"{args.duration:g} s per run; {os.cpu_count()} CPUs, load average "
          f"{load_before[0]:.2f} before / {load_after[0]:.2f} after")
    print(f"{'endpoint':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'restarts':>8} {'non-2xx':>8}")
    rps = [b.rps for b in bares]
    mean_bare = Result(f"{BARE} (mean)", statistics.mean(rps), statistics.mean(b.p50_ms for b in bares),
                       statistics.mean(b.p99_ms for b in bares), sum(b.requests for b in bares),
                       sum(b.non2xx for b in bares), sum(b.socket_errors for b in bares),
                       restarts=sum(b.restarts for b in bares))
    ratios = {r.name: r.rps / ((before.rps + after.rps) / 2) for r, before, after in zip(results, bares, bares[1:])}
    for r, ratio in [(mean_bare, 1.0), *((r, ratios[r.name]) for r in results)]:
        print(f"{r.name:<28} {r.rps:>8,.0f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {ratio:>8.2f} {r.restarts:>8} "
              f"{r.failures():>8}")
    verdict = ", ".join(f"{name} {'ok' if ratios[name] >= 0.5 else 'BELOW'}" for name in READS if name in ratios)
    print(f"bare runs (req/s): {', '.join(f'{x:,.0f}' for x in rps)}; each endpoint is compared with the "
          f"two bare runs around it.\nGoal, reads >= 0.5x the ceiling: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
