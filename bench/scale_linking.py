"""Scale benchmark for near-duplicate linking: one new claim against N stored claims.

    .venv/bin/python bench/scale_linking.py --size 100000 [--database-url URL]

Stores N texts (LIAR statements, varied deterministically to reach N; ../shared/data/liar)
through a fast bulk path (Claim rows + SqlClaimIndex.add, no linking), then times
Matcher.link_candidates by words alone (SEMANTIC_MODEL=off) for ~250 probes against an
exhaustive rapidfuzz scan of all N texts with the same scorer, measured in the same run;
prints the engine's recall against that scan, an app worker's peak memory, and the import
rate (linking included): `flask import-claims` in its own process into a fresh store, and
import_claims into the N store.
Default: a fresh temporary SQLite file; with a PostgreSQL URL, a throwaway schema in it.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import sqlalchemy as sa
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck import create_app
from factcheck.extensions import db
from factcheck.matching import link_status, prepare, score_prepared
from factcheck.models import Claim
from factcheck.services.links.candidate_sql import candidates_query
from factcheck.services.links.decisions import match, matcher
from factcheck.services.links.match_index import SqlClaimIndex, terms_of

LIAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "liar"
BATCH = 5_000
PREFIXES = ["Says", "Claims", "Reportedly,", "Fact:", "Breaking:", "A viral post says", "Officials say"]
FILLER = ["really", "actually", "now", "still", "also", "just", "even", "again", "recently", "currently"]


def liar_statements() -> list[str]:
    rows = []
    for split in ("train", "valid", "test"):
        with (LIAR / f"{split}.tsv").open(encoding="utf-8", newline="") as handle:
            rows += [r[2] for r in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) > 2]
    return rows


def vary(text: str, rng: random.Random) -> str:
    """1-3 small edits: drop/insert/swap a word, change a digit, add or remove a prefix."""
    w = text.split()
    for _ in range(rng.randint(1, 3)):
        op, digits = rng.random(), [i for i, x in enumerate(w) if re.search(r"\d", x)]
        if op < 0.2 and len(w) > 4:
            del w[rng.randrange(len(w))]
        elif op < 0.4:
            w.insert(rng.randrange(len(w) + 1), rng.choice(FILLER))
        elif op < 0.6 and len(w) > 1:
            i = rng.randrange(len(w) - 1)
            w[i], w[i + 1] = w[i + 1], w[i]
        elif op < 0.75 and digits:
            i = rng.choice(digits)
            w[i] = re.sub(r"\d", lambda _: str(rng.randrange(10)), w[i], count=1)
        elif w and w[0] == "Says":
            w = w[1:]
        else:
            w = rng.choice(PREFIXES).split() + w
    return " ".join(w)


def store_texts(statements: list[str], n: int) -> list[str]:
    rng = random.Random(1)
    return [s if i < len(statements) else vary(s, rng) for i, s in ((i, statements[i % len(statements)])
                                                                   for i in range(n))]


def probe_texts(statements: list[str], near: int = 200, unrelated: int = 50) -> list[tuple[str, str]]:
    rng = random.Random(2)
    probes = [("near", vary(rng.choice(statements), rng)) for _ in range(near)]
    try:
        from tune_matching import DATA, read_tsv
        claims = [r[1] for r in read_tsv(DATA / "verified_claims.docs.tsv")[1:] if len(r) > 1 and r[1].strip()]
        probes += [("unrelated", t) for t in rng.sample(claims, unrelated)]
    except FileNotFoundError:
        print("(CheckThat! verified claims not found: no unrelated probes)")
    return probes


def load_store(app, texts: list[str]) -> float:
    """Claims + index postings in batches, no linking; returns claims/s."""
    start = time.perf_counter()
    with app.app_context():
        session, table = db.session(), Claim.__table__
        for lo in range(0, len(texts), BATCH):
            rows = [{"id": i + 1, "group_id": i + 1, "text": t, "n_terms": len(terms_of(t))}
                    for i, t in enumerate(texts[lo:lo + BATCH], lo)]
            session.execute(table.insert(), rows)
            SqlClaimIndex(session).add([SimpleNamespace(id=r["id"], text=r["text"]) for r in rows])
            session.commit()
            if lo // BATCH % 20 == 19:
                print(f"  loaded {lo + BATCH:,} ({(lo + BATCH) / (time.perf_counter() - start):,.0f}/s)", flush=True)
        # PostgreSQL: explicit ids, so move the sequence; then VACUUM ANALYZE, as autovacuum
        # would after a million inserts (statistics, and the visibility map that lets the
        # postings be read from their covering primary key alone).
        if db.engine.dialect.name == "postgresql":
            session.execute(sa.text("SELECT setval(pg_get_serial_sequence('claims', 'id'), :n)"), {"n": len(texts)})
            session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.session.remove()
    return len(texts) / (time.perf_counter() - start)


def time_engine(app, probes: list[str]) -> tuple[list[float], list[dict[int, float]], dict[str, list]]:
    """link_candidates per probe as a request would run it (fresh session and index); then a
    second pass timing its three steps apart: df lookup, candidate query, rapidfuzz rescoring."""
    times, found, parts = [], [], {"df query": [], "candidate query": [], "rescoring": [], "candidates": []}
    with app.app_context():
        for text in probes[:10]:  # warm-up: connection pool, compiled statements
            matcher(SqlClaimIndex(db.session())).link_candidates(text)
            db.session.remove()
        for text in probes:
            start = time.perf_counter()
            links = matcher(SqlClaimIndex(db.session())).link_candidates(text)
            times.append(time.perf_counter() - start)
            found.append({link.claim_id: link.score for link in links})
            db.session.remove()
        for text in probes:
            engine = matcher(index := SqlClaimIndex(db.session()))
            t0 = time.perf_counter()
            terms, min_match = engine.link_terms(text)
            t1 = time.perf_counter()
            ranked = index.ranked_candidates(terms, min_match, engine.settings.link_limit) if terms else []
            t2 = time.perf_counter()
            score_prepared(prepare(text), index.link_texts([c for c, _ in ranked]), engine.thresholds)
            for name, value in zip(parts, (t1 - t0, t2 - t1, time.perf_counter() - t2, len(ranked))):
                parts[name].append(value)
            db.session.remove()
    return times, found, parts


def explain(app, text: str) -> None:
    """The plan of the candidate query (candidate_sql.candidates_query) for one probe."""
    with app.app_context():
        engine = matcher(index := SqlClaimIndex(db.session()))
        terms, min_match = engine.link_terms(text)
        params = {"min_match": min_match, "limit": engine.settings.link_limit}
        for i, (term, weight) in enumerate(terms.items()):
            params[f"t{i}"], params[f"w{i}"] = index._terms[term][0], weight
        query = candidates_query(len(terms), False).params(**params)
        compiled = query.compile(db.engine)
        values = compiled.params
        values = tuple(values[k] for k in compiled.positiontup) if compiled.positional else values
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
        rows = db.session.connection().exec_driver_sql(prefix + compiled.string, values)
        print(f"plan of the candidate query for {text[:70]!r} (terms, df: "
              f"{ {t: index._terms[t][1] for t in terms} }, min_match {min_match}):")
        print("\n".join("  " + " ".join(map(str, row[-1:])) for row in rows))
        db.session.remove()


def exhaustive(text: str, ids: np.ndarray, prepared: list[str], thresholds) -> tuple[float, dict[int, float]]:
    """score_links' formula over all N texts prepared once: mean(token_set, token_sort)."""
    start = time.perf_counter()
    query = prepare(text)
    s_set = process.cdist([query], prepared, scorer=fuzz.token_set_ratio, dtype=np.float64)[0]
    s_sort = process.cdist([query], prepared, scorer=fuzz.token_sort_ratio, dtype=np.float64)[0]
    scores = (s_set + s_sort) / 2.0
    hits = np.flatnonzero(scores >= thresholds.suggest)
    links = {int(ids[i]): float(scores[i]) for i in hits
             if link_status(query, prepared[i], float(scores[i]), thresholds)}
    return time.perf_counter() - start, links


def peak_rss_mb() -> float:
    """Peak RSS of this process. Linux keeps ru_maxrss across fork+exec, so a subprocess's
    ru_maxrss starts at its parent's RSS (here GBs of texts): read VmHWM where there is one."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(url: str) -> None:
    """Subprocess: an app worker on the same database answering link and match calls."""
    texts = json.load(sys.stdin)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rss_start = peak_rss_mb()
    start = time.perf_counter()
    for text in texts:
        with app.app_context():
            matcher(SqlClaimIndex(db.session())).link_candidates(text)
            match(text, 5)
    seconds = time.perf_counter() - start
    print(json.dumps({"rss_mb": peak_rss_mb(),
                      "rss_start_mb": rss_start, "calls": 2 * len(texts), "seconds": seconds}))


def cli_import_rate(url: str, texts: list[str], path: Path) -> str:
    """`flask --app app import-claims FILE` as a newsroom would run it: its own process, its
    own figure (the rate it prints, timed from its first line to its commit)."""
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "import-claims", str(path)],
                          cwd=Path(__file__).resolve().parents[1], env={**os.environ, "DATABASE_URL": url},
                          capture_output=True, text=True, check=True)
    summary = done.stdout.strip().splitlines()[-1]
    rate = float(re.search(r"\(([\d,.]+) claims/s\)", summary).group(1).replace(",", ""))
    links = re.search(r"([\d,]+) links", summary).group(1)
    return f"{rate:,.0f} claims/s ({links} links){goal(rate >= 1000, '>= 1,000')}"


def ms(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q))


def goal(ok: bool, text: str) -> str:
    return f"   goal {text} {'ok' if ok else 'MISSED'}"


def store_arguments(description: str) -> argparse.ArgumentParser:
    """The arguments of a benchmark over N stored claims with an app worker in its own process."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="stored claims N")
    parser.add_argument("--database-url", help="PostgreSQL URL (a schema is made in it); default: SQLite")
    parser.add_argument("--store-import", type=int, default=500, help="import_claims into the N store; 0: skip")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def liar_missing() -> bool:
    if LIAR.is_dir():
        return False
    print(f"LIAR data not found at {LIAR} (see shared/data/README.md); nothing measured.", file=sys.stderr)
    return True


def main() -> int:
    parser = store_arguments(__doc__)
    parser.add_argument("--exhaustive", type=int, help="probes scanned exhaustively (default 100, 20 above 200k)")
    parser.add_argument("--import-size", type=int, default=10_000, help="import_claims into a fresh store; 0: skip")
    parser.add_argument("--explain", action="store_true", help="print the candidate query's plan")
    args = parser.parse_args()
    # Linking by words, as measured here (bench/semantic_scale.py measures the semantic stage);
    # the worker and `flask import-claims` inherit it.
    os.environ["SEMANTIC_MODEL"] = "off"
    if args.worker:
        return worker(args.worker) or 0
    if liar_missing():
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_checkthat import fresh_app  # here: the worker must not import bm25s

    from factcheck.services.exchange.bulk import import_claims

    statements, out = liar_statements(), {}
    probes = probe_texts(statements)
    n_scan = args.exhaustive or (100 if args.size <= 200_000 else 20)
    scanned = sorted({round(i * len(probes) / n_scan) for i in range(n_scan)})  # near and unrelated alike
    backend = "PostgreSQL" if args.database_url else "SQLite"

    def report(name: str, value: str) -> None:
        out[name] = value
        print(f"{name}: {value}", flush=True)

    def import_rate(items: list[dict]) -> str:
        start = time.perf_counter()
        summary = import_claims(items)
        rate = summary.created / (time.perf_counter() - start)
        return f"{rate:,.0f} claims/s ({summary.links:,} links){goal(rate >= 1000, '>= 1,000')}"

    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores here)")
    with tempfile.TemporaryDirectory(prefix="factcheck-scale-") as workdir:
        with fresh_app(args.database_url, Path(workdir), "store") as app:
            with app.app_context():
                version = ".".join(map(str, db.engine.dialect.server_version_info or ()))
            print(f"linking one new claim against N={args.size:,} stored claims; {backend} {version}; "
                  f"engine: services.links.decisions.matcher(SqlClaimIndex) .link_candidates", flush=True)
            texts = store_texts(statements, args.size)
            report("setup load (no linking)", f"{load_store(app, texts):,.0f} claims/s")

            times, engine_links, parts = time_engine(app, [t for _, t in probes])
            near = [t for (kind, _), t in zip(probes, times) if kind == "near"]
            report("engine link_candidates median / p95", f"{ms(times, 50):.1f} / {ms(times, 95):.1f} ms")
            report("  near-duplicate probes only", f"{ms(near, 50):.1f} / {ms(near, 95):.1f} ms ({len(near)})")
            for name in ("df query", "candidate query", "rescoring"):
                report(f"  {name} median / p95", f"{ms(parts[name], 50):.1f} / {ms(parts[name], 95):.1f} ms")
            report("  candidates median / max", f"{statistics.median(parts['candidates']):.0f} / "
                                                f"{max(parts['candidates'])}")
            if args.explain:
                explain(app, probes[int(np.argmax(times))][1])
            with app.app_context():
                thresholds = matcher(SqlClaimIndex(db.session())).thresholds
                db.session.remove()
            start = time.perf_counter()
            prepared = [prepare.__wrapped__(t) for t in texts]  # bypass the cache: leave it to the engine
            print(f"exhaustive scan: {len(texts):,} texts prepared once in {time.perf_counter() - start:.1f} s; "
                  f"scanning {len(scanned)} probes", flush=True)
            scan_times, hits, ids = [], {"suggest": [0, 0], "auto": [0, 0]}, np.arange(1, len(texts) + 1)
            for i in scanned:
                seconds, truth = exhaustive(probes[i][1], ids, prepared, thresholds)
                scan_times.append(seconds)
                for tier, counts in hits.items():
                    wanted = {c for c, score in truth.items() if score >= getattr(thresholds, tier)}
                    counts[0] += len(wanted & engine_links[i].keys())
                    counts[1] += len(wanted)
            del prepared
            report("exhaustive scan median / p95",
                   f"{ms(scan_times, 50):,.0f} / {ms(scan_times, 95):,.0f} ms ({len(scan_times)} probes)")
            ratio = ms(scan_times, 95) / ms(times, 95)
            report("exhaustive p95 / engine p95", f"{ratio:,.0f}x{goal(ratio >= 100, 'at 1M >= 100x')}")
            for tier, (got, total) in hits.items():
                recall = got / total if total else float("nan")
                report(f"recall at {tier} (>= {getattr(thresholds, tier):g})", f"{recall:.4f} ({got}/{total} links)"
                       + (goal(recall >= 0.99, "at 1M >= 0.99") if tier == "suggest" else ""))

            worker_texts = [t for _, t in probes[::5]]  # 50 probes: link_candidates + match each
            run = subprocess.run([sys.executable, __file__, "--worker", app.config["SQLALCHEMY_DATABASE_URI"]],
                                 input=json.dumps(worker_texts), capture_output=True, text=True, check=True)
            w = json.loads(run.stdout.strip().splitlines()[-1])
            report("worker peak RSS (VmHWM)", f"{w['rss_mb']:.0f} MB after {w['calls']} calls (at start "
                                              f"{w['rss_start_mb']:.0f}){goal(w['rss_mb'] < 300, 'at 1M < 300 MB')}")
            if args.store_import:
                rng = random.Random(3)
                with app.app_context():
                    report(f"import_claims into the N store ({args.store_import:,} varied)",
                           import_rate([{"text": vary(rng.choice(statements), rng)} for _ in range(args.store_import)]))
        if args.import_size:
            with fresh_app(args.database_url, Path(workdir), "import") as app:
                report(f"flask import-claims into a fresh store ({args.import_size:,} LIAR)",
                       cli_import_rate(app.config["SQLALCHEMY_DATABASE_URI"], statements[:args.import_size],
                                       Path(workdir) / "liar.jsonl"))

    print(f"\n== N={args.size:,} {backend} {version}: {len(probes)} probes ({len(near)} near-duplicates); "
          f"load average now {' '.join(f'{x:.1f}' for x in os.getloadavg())} ==")
    width = max(map(len, out))
    for name, value in out.items():
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
