"""The reads of bench/load.py's store under a mixed load, several builds of the app compared in one run.

    .venv/bin/python bench/mixed_load.py [--engines sqlite,postgresql] [--database-url URL]
        [--claims 100000] [--duration 8] [--rounds 3] [--connections 8]
        [--variant 'LABEL [@PROJECT_DIR] [NAME=VALUE ...]' ...]

For each engine, builds the store bench/load.py builds (migrations, `flask seed`, N LIAR
claims through import_claims, 300 contested; SQLite in a temporary file, PostgreSQL in a
throwaway schema of --database-url), then serves each variant in turn with
gunicorn.conf.py (4 sync workers unless WEB_CONCURRENCY says otherwise) on that same
database: a variant is this checkout (or the checkout at @PROJECT_DIR, which must share
its migrations) with extra environment variables. Each turn starts the variant's server,
warms it for 5 s and loads it with wrk for --duration seconds: as a newsroom's client
would, every request carries the newsroom's token; nine in ten are reads (a claim at
random, the contested list, the newest page of claims) and one is POST /api/v1/claims with
a text never sent before. Variants take turns round after round, in reverse order every
other round, so that the machine's drift (others share its cores) falls on all of them.

SEMANTIC_MODEL is off (matching by words alone) unless set: encoding new claims would
otherwise take most of the CPU and hide what the read path does. The rate limit is out of
reach, but each request is still counted (a row written in batches).

Prints, per engine and variant, the medians over the rounds of the reads' requests per
second and p99, the writes' requests per second, and each variant's read rate as a ratio
to the first variant's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

# Before factcheck's settings are read (write_load imports the app).
os.environ.setdefault("SEMANTIC_MODEL", "off")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import API, PROJECT, Request, Server, database_url, drop_schema
from write_load import POSTGRES, WRITE, new_texts, newsroom_reads, prerequisites, run, store

READS = ("claim", "contested", "page")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> float:
    """User and system CPU these processes have used so far (those gone count nothing)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def server_pids(server: Server, backends: str | None, base_url: str | None) -> list[int]:
    """The server's processes (its own process group), and on PostgreSQL the backends serving it."""
    pids = [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and _group(p) == server.process.pid]
    if backends:
        engine = sa.create_engine(base_url)
        with engine.connect() as conn:
            pids += conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                                 {"name": backends}).scalars().all()
        engine.dispose()
    return pids


def _group(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rpartition(")")[2].split()[2])
    except (OSError, ValueError, IndexError):
        return None


def variant(text: str) -> tuple[str, Path, dict]:
    label, *rest = text.split()
    project, env = PROJECT, {}
    for item in rest:
        if item.startswith("@"):
            project = Path(item[1:]).resolve()
        else:
            name, _, value = item.partition("=")
            env[name] = value
    return label, project, env


def measure(engine: str, base_url: str | None, variants, args, workdir: Path) -> dict[str, list]:
    url, schema = database_url(base_url, workdir)
    try:
        env, max_id, auth = store(engine, url, workdir, args.claims)
        json_auth = {**auth, "Content-Type": "application/json"}
        reads = newsroom_reads(max_id, auth)
        per_run = 3000  # texts a run may use up, at most
        texts = iter(new_texts(per_run * 2 * len(variants) * args.rounds))

        def writes() -> list[Request]:
            return [Request("POST", f"{API}/claims", json.dumps({"text": next(texts)}), json_auth)
                    for _ in range(per_run)]

        results: dict[str, list] = {label: [] for label, _, _ in variants}
        for round_ in range(args.rounds):
            for label, project, extra in (variants if round_ % 2 == 0 else variants[::-1]):
                # Named, so that the PostgreSQL backends serving it can be found (their CPU counts).
                app_env = {**env, **extra}
                backends = f"mixed_{engine}_{label}" if base_url else None
                if backends:
                    app_env["DATABASE_URL"] = f"{url}&application_name={backends}"
                server = Server(label, "app:app", project, app_env, f"{API}/health",
                                workdir / f"{engine}-{label}.log", project / "gunicorn.conf.py")
                try:
                    server.wait_ready()
                    # Each worker's first requests load what it loads lazily (a second or two).
                    run(server.port, reads, writes(), 0.1, 5, args.connections, workdir)
                    load, pids = os.getloadavg()[0], server_pids(server, backends, base_url)
                    cpu = cpu_seconds(pids)
                    outcome = run(server.port, reads, writes(), 0.1, args.duration, args.connections, workdir)
                    cpu = cpu_seconds(pids) - cpu
                finally:
                    server.stop()
                outcome.cpu_ms = 1000 * cpu / sum(len(v) for v in outcome.latencies.values())
                results[label].append((outcome, load))
                print(f"  {engine}, round {round_ + 1}, {label}: reads {outcome.rate(READS):,.0f}/s, "
                      f"p99 {outcome.percentile(99, READS):,.1f} ms; writes {outcome.rate([WRITE]):,.0f}/s, "
                      f"p50 {outcome.percentile(50, [WRITE]):,.0f} ms; "
                      f"CPU {outcome.cpu_ms:.2f} ms a request; "
                      f"{outcome.described_errors()}; load {load:.2f}", flush=True)
        return results
    finally:
        drop_schema(base_url, schema)


def table(name: str, results: dict[str, list]) -> None:
    print(f"\n{name}")
    print("| variant | reads/s | read p99 ms | writes/s | write p50 ms | CPU ms a request | reads/s vs first "
          "| CPU vs first | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    first = None
    for label, runs in results.items():
        outcomes = [o for o, _ in runs]
        rate = statistics.median(o.rate(READS) for o in outcomes)
        cpu = statistics.median(o.cpu_ms for o in outcomes)
        first = first or (rate, cpu)
        p99 = statistics.median(o.percentile(99, READS) for o in outcomes)
        print(f"| {label} | {rate:,.0f} | {p99:,.1f} "
              f"| {statistics.median(o.rate([WRITE]) for o in outcomes):,.1f} "
              f"| {statistics.median(o.percentile(50, [WRITE]) for o in outcomes):,.0f} | {cpu:.2f} "
              f"| {rate / first[0]:.2f} | {cpu / first[1]:.2f} | {sum(o.errors() for o in outcomes)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=POSTGRES, help="PostgreSQL URL (a schema is made in it)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--claims", type=int, default=100_000, help="LIAR claims loaded (default 100000)")
    parser.add_argument("--duration", type=float, default=8, help="seconds per run (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each variant (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="clients (default 8)")
    parser.add_argument("--variant", action="append", type=variant, metavar="'LABEL [@DIR] [NAME=VALUE ...]'",
                        help="a build to serve (repeat; default: this checkout as it is)")
    args = parser.parse_args()
    if not prerequisites():
        return 2
    variants = args.variant or [variant("this")]
    load_before, results = os.getloadavg(), {}
    for engine in args.engines.split(","):
        workdir = Path(tempfile.mkdtemp(prefix="factcheck-mixed-load-"))
        try:
            name = "PostgreSQL" if engine == "postgresql" else "SQLite"
            results[name] = measure(engine, args.database_url if engine == "postgresql" else None,
                                    variants, args, workdir)
        finally:
            if os.environ.get("KEEP_LOGS"):
                print(f"logs kept in {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"\nfactcheck under gunicorn ({os.environ.get('WEB_CONCURRENCY', '4')} sync workers), "
          f"seed + {args.claims:,} LIAR claims, SEMANTIC_MODEL={os.environ['SEMANTIC_MODEL']}; wrk, "
          f"{args.connections} clients, 9 reads : 1 write, all with a token; {args.duration:g} s x "
          f"{args.rounds} rounds per variant (medians); {os.cpu_count()} CPUs, load average "
          f"{load_before[0]:.2f} before / {load_after[0]:.2f} after ({time.strftime('%Y-%m-%d')})")
    for name, by_variant in results.items():
        table(name, by_variant)
    return 0


if __name__ == "__main__":
    sys.exit(main())
