"""Write load benchmark: claims written by many clients at once, beside reads, on both engines.

    .venv/bin/python bench/write_load.py [--database-url URL] [--engines sqlite,postgresql]
                                         [--claims 10269] [--duration 10] [--connections 8]

For each engine (SQLite in a temporary file; PostgreSQL in a throwaway schema of
--database-url, default postgresql+psycopg://postgres@127.0.0.1:5432/test), builds a fresh
database as bench/load.py does (migrations, `flask seed`, N LIAR claims through
import_claims, 300 contested), serves it with gunicorn.conf.py (4 workers unless
WEB_CONCURRENCY says otherwise) and runs four loads with wrk, one connection per wrk thread
so that each answer's latency is known by kind:

- reads only: a claim at random, the contested list, a page of claims (with a token, as
  the console sends one);
- 9 reads : 1 write: the same reads, and POST /api/v1/claims with a text never sent before;
- writes only: POST /api/v1/claims, --connections clients;
- one client writing claims one after another.

Prints the table of issue 17 with its goals beside each figure; stops what it started and
drops what it built.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

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
)
from scale_linking import vary

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TRAIN_CLAIMS = 10_269  # the statements of LIAR's train.tsv
WRITE = "write"
# wrk, one connection per thread: request() and response() alternate on a thread, so each
# answer's latency (clock_gettime through LuaJIT's FFI) is recorded under its request's kind.
# A thread takes writes k, k + threads, ... so no text is sent twice.
LUA = r'''
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } fc_timespec;
int clock_gettime(int clk_id, fc_timespec *tp);
]]
local ts = ffi.new("fc_timespec")
local function now_us() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3 end

local raw_reads = {%s}
local raw_writes = {%s}
local write_share = %s
local reads, read_kinds, writes = {}, {}, {}
local w, started, kind = 0, 0, nil
local counter, threads = 1, {}
lat, bad = {}, ""
function setup(thread) thread:set("tid", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  for k, r in ipairs(raw_reads) do reads[k] = wrk.format(r[2], r[3], r[4], r[5]); read_kinds[k] = r[1] end
  for k, r in ipairs(raw_writes) do writes[k] = wrk.format(r[2], r[3], r[4], r[5]) end
  math.randomseed(tid * 7919); w = tid - %d
end
function request()
  started = now_us()
  if #writes > 0 and math.random() < write_share then
    w = w + %d; kind = "write"; return writes[(w - 1) %% #writes + 1]
  end
  local i = math.random(#reads); kind = read_kinds[i]; return reads[i]
end
function response(status, headers, body)
  lat[#lat + 1] = kind .. " " .. string.format("%%.0f", now_us() - started)
  if status >= 300 then bad = bad .. kind .. ":" .. status .. " " end
end
function done(summary, latency, requests)
  io.write("WRK_SECONDS " .. summary.duration / 1e6 .. "\n")
  for _, what in ipairs({"connect", "read", "write", "timeout"}) do
    io.write("WRK_SOCKET_ERRORS " .. what .. " " .. summary.errors[what] .. "\n")
  end
  for _, t in ipairs(threads) do
    io.write("WRK_LAT " .. table.concat(t:get("lat") or {}, ",") .. "\n")
    io.write("WRK_BAD " .. (t:get("bad") or "") .. "\n")
  end
end
'''


@dataclass
class Outcome:
    seconds: float
    latencies: dict[str, list[float]]  # kind -> ms
    failures: dict[str, int]  # "kind:status" -> count
    socket_errors: dict[str, int]  # wrk's: connect, read, write, timeout -> count
    backlog: tuple[int, float] = (0, 0.0)  # claims awaiting the linker when the load ended, seconds until none

    def rate(self, kinds=None) -> float:
        return sum(len(v) for k, v in self.latencies.items() if kinds is None or k in kinds) / self.seconds

    def percentile(self, q: int, kinds=None) -> float:
        values = sorted(x for k, v in self.latencies.items() if kinds is None or k in kinds for x in v)
        if len(values) < 2:
            return values[0] if values else 0.0
        return statistics.quantiles(values, n=100)[q - 1]

    def errors(self) -> int:
        return sum(self.failures.values()) + sum(self.socket_errors.values())

    def described_errors(self) -> str:
        kinds = [f"{n} x {what}" for what, n in sorted(self.failures.items())]
        kinds += [f"{n} x socket {what}" for what, n in self.socket_errors.items() if n]
        return f"{self.errors()} errors" + (f" ({', '.join(kinds)})" if kinds else "")


def lua_request(kind: str, r: Request) -> str:
    headers = "{" + ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in (r.headers or {}).items()) + "}"
    body = lua_string(r.body) if r.body is not None else "nil"
    return f"{{{lua_string(kind)}, {lua_string(r.method)}, {lua_string(r.path)}, {headers}, {body}}}"


def run(port: int, reads: list[tuple[str, Request]], writes: list[Request], write_share: float,
        seconds: float, connections: int, workdir: Path) -> Outcome:
    script = workdir / "write_load.lua"
    script.write_text(LUA % (",\n".join(lua_request(kind, r) for kind, r in reads),
                             ",\n".join(lua_request(WRITE, r) for r in writes),
                             repr(write_share), connections, connections), encoding="utf-8")
    out = subprocess.run(["wrk", f"-t{connections}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                          "-s", str(script), f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    latencies: dict[str, list[float]] = {}
    failures: dict[str, int] = {}
    seconds_run, socket_errors = seconds, {}
    for line in out.splitlines():
        tag, _, rest = line.partition(" ")
        if tag == "WRK_SECONDS":
            seconds_run = float(rest)
        elif tag == "WRK_SOCKET_ERRORS":
            what, n = rest.split()
            socket_errors[what] = int(n)
        elif tag == "WRK_LAT":
            for item in filter(None, rest.split(",")):
                kind, micros = item.split()
                latencies.setdefault(kind, []).append(float(micros) / 1000)
        elif tag == "WRK_BAD":
            for item in rest.split():
                failures[item] = failures.get(item, 0) + 1
    return Outcome(seconds_run, latencies, failures, socket_errors)


def new_texts(n: int) -> list[str]:
    """Claim texts never stored: LIAR's validation and test statements, varied, all distinct."""
    rows = [text for liar_id, text, _ in liar_rows()[TRAIN_CLAIMS:]]
    rng, texts = random.Random(17), set()
    while len(texts) < n:
        texts.add(vary(rng.choice(rows), rng)[:5000])
    return sorted(texts, key=lambda _: rng.random())


def store(engine: str, url: str, workdir: Path, claims: int) -> tuple[dict, int, dict]:
    """A fresh store at `url` (migrations, seed, LIAR claims): the servers' environment, the
    highest claim id, and the Authorization header of a newsroom's fact-checker."""
    # The limit out of reach, as in bench/load.py: the figures are the server's, not the
    # limiter's (the requests are still counted).
    env = {**os.environ, "DATABASE_URL": url, "FACTCHECK_INSTANCE_DIR": str(workdir),
           "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "4"), "RATE_LIMIT_PER_MINUTE": str(10**9),
           "PYTHONDONTWRITEBYTECODE": "1"}
    flask(env, "db", "upgrade")
    flask(env, "seed")
    print(f"{engine}: loading {claims:,} LIAR claims through import_claims ...", flush=True)
    max_id, _ = load_claims(url, claims)
    token = flask(env, "create-token", "--name", "Write bench", "--role", "factchecker",
                  "--organisation", "Write bench desk", "--site", "write-desk.example.org").strip()
    return env, max_id, {"Authorization": f"Bearer {token}"}


def newsroom_reads(max_id: int, auth: dict) -> list[tuple[str, Request]]:
    """A claim at random, the contested list, the newest page of claims, with a token."""
    rng = random.Random(5)
    return ([("claim", Request("GET", f"{API}/claims/{rng.randint(1, max_id)}", headers=auth))
             for _ in range(2000)]
            + [("contested", Request("GET", f"{API}/claims/contested", headers=auth))] * 1000
            + [("page", Request("GET", f"{API}/claims?limit=20", headers=auth))] * 1000)


def measure(engine: str, base_url: str | None, args, workdir: Path) -> dict[str, Outcome]:
    url, schema = database_url(base_url, workdir)
    server = None
    try:
        env, max_id, auth = store(engine, url, workdir, args.claims)
        server = Server("api", "app:app", PROJECT, env, f"{API}/health", workdir / f"{engine}.log")
        server.wait_ready()
        json_auth = {**auth, "Content-Type": "application/json"}
        reads = newsroom_reads(max_id, auth)
        warm_ups = 200  # texts each warm-up run may use up, apart from the measured ones
        texts = iter(new_texts(args.writes + 4 * warm_ups))

        def writes(n: int) -> list[Request]:
            return [Request("POST", f"{API}/claims", json.dumps({"text": next(texts)}), json_auth) for _ in range(n)]

        loads = {
            "reads only": (reads, [], 0.0, args.connections),
            "9 reads : 1 write": (reads, writes(args.writes // 8), 0.1, args.connections),
            "writes only": (reads, writes(args.writes // 2), 1.0, args.connections),
            "one client": (reads, writes(args.writes // 8), 1.0, 1),
        }
        outcomes = {}
        for name, (read_plan, write_plan, share, connections) in loads.items():
            run(server.port, read_plan, writes(warm_ups) if write_plan else [], share, 2, connections, workdir)
            linker_backlog(url)  # each load starts with every claim linked
            outcome = run(server.port, read_plan, write_plan, share, args.duration, connections, workdir)
            outcome.backlog = linker_backlog(url)
            outcomes[name] = outcome
            print(f"  {engine}, {name}: {outcome.rate():,.0f} req/s, {outcome.described_errors()}; "
                  f"{outcome.backlog[0]} claims awaiting links at the end, linked {outcome.backlog[1]:.1f} s later",
                  flush=True)
        return outcomes
    finally:
        if server is not None:
            server.stop()
        drop_schema(base_url, schema)


def linker_backlog(url: str, limit: float = 300.0) -> tuple[int, float]:
    """How many claims the linker had still to link (pending_links) when this is called, and
    the seconds until it had linked them all (looked at every 50 ms, at most `limit`)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            started, first = time.perf_counter(), None
            while True:
                waiting = connection.scalar(sa.text("SELECT count(*) FROM pending_links"))
                connection.rollback()  # the next look sees what committed since
                first = waiting if first is None else first
                if not waiting or time.perf_counter() - started > limit:
                    return first, time.perf_counter() - started
                time.sleep(0.05)
    finally:
        engine.dispose()


READS = ("claim", "contested", "page")


def cells(outcomes: dict[str, Outcome]) -> dict[str, str]:
    reads_only, mixed = outcomes["reads only"], outcomes["9 reads : 1 write"]
    writes, one = outcomes["writes only"], outcomes["one client"]
    share = mixed.rate() / reads_only.rate() if reads_only.rate() else 0
    return {
        "reads only": f"{reads_only.rate():,.0f} req/s, p99 {reads_only.percentile(99):,.0f} ms"
                      + (f", {reads_only.described_errors()}" if reads_only.errors() else ""),
        "9 reads : 1 write": f"{mixed.rate():,.0f} req/s ({share:.0%} of reads only), read p99 "
                             f"{mixed.percentile(99, READS):,.0f} ms, write p99 {mixed.percentile(99, [WRITE]):,.0f} ms"
                             + (f", {mixed.described_errors()}" if mixed.errors() else ""),
        "writes only": f"{writes.rate():,.0f} claims/s, p50 {writes.percentile(50):,.0f} ms, "
                       f"p99 {writes.percentile(99):,.0f} ms, {writes.described_errors()}; "
                       f"{writes.backlog[0]:,} awaiting links at the end, linked {writes.backlog[1]:.1f} s later",
        "one client": f"p50 {one.percentile(50):,.0f} ms, p95 {one.percentile(95):,.0f} ms"
                      + (f", {one.described_errors()}" if one.errors() else ""),
    }


GOALS = {
    "reads only": "(the reference for the next row)",
    "9 reads : 1 write": "read p99 <= 100 ms; >= 60% of reads only",
    "writes only": ">= 150 claims/s (PostgreSQL), >= 60 (SQLite); 0 errors",
    "one client": "p95 <= 60 ms at 10k claims",
}


def prerequisites() -> bool:
    """LIAR's files and wrk are there (said on stderr when not)."""
    if not LIAR.is_dir():
        print(f"LIAR data not found at {LIAR}; nothing measured.", file=sys.stderr)
        return False
    if not ensure_wrk():
        print("This benchmark needs wrk (apt-get install wrk).", file=sys.stderr)
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=POSTGRES, help="PostgreSQL URL (a schema is made in it)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--claims", type=int, default=TRAIN_CLAIMS, help="LIAR claims loaded (default: train.tsv's)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per load (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="clients (default 8)")
    parser.add_argument("--writes", type=int, default=24_000, help="distinct new texts prepared")
    args = parser.parse_args()
    if not prerequisites():
        return 2
    results = {}
    load_before = os.getloadavg()
    for engine in args.engines.split(","):
        workdir = Path(tempfile.mkdtemp(prefix="factcheck-write-load-"))
        try:
            name = "PostgreSQL" if engine == "postgresql" else "SQLite"
            results[name] = cells(measure(engine, args.database_url if engine == "postgresql" else None,
                                          args, workdir))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()
    workers = os.environ.get("WEB_CONCURRENCY", "4")
    print(f"\nfactcheck under gunicorn ({workers} sync workers), seed + {args.claims:,} LIAR claims; wrk, "
          f"one connection per thread, {args.connections} clients, {args.duration:g} s per load; "
          f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} before / {load_after[0]:.2f} after "
          f"({time.strftime('%Y-%m-%d')})")
    engines = list(results)
    print("| load | " + " | ".join(engines) + " | goal |")
    print("|---|" + "---|" * len(engines) + "---|")
    for load, goal in GOALS.items():
        print(f"| {load} | " + " | ".join(results[e][load] for e in engines) + f" | {goal} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
