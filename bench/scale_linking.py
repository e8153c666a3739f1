"""Scale benchmark for near-duplicate linking: one new claim against N stored claims.

    .venv/bin/python bench/scale_linking.py --size 100000 [--database-url URL]

Stores N texts (LIAR statements, varied deterministically to reach N; ../shared/data/liar)
through a fast bulk path (Claim rows + SqlClaimIndex.add, no linking), then times
Matcher.link_candidates for ~250 probes against an exhaustive rapidfuzz scan of all N texts
with the same scorer, measured in the same run; prints the engine's recall against that
scan, an app worker's peak memory, and import_claims' rate (linking included).
Default: a fresh temporary SQLite file; with a PostgreSQL URL, a throwaway schema in it.
"""
from __future__ import annotations

import argparse
import csv
import json
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

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.matching import link_status, prepare  # noqa: E402
from factcheck.models import Claim  # noqa: E402
from factcheck.services.links import match, matcher  # noqa: E402
from factcheck.services.match_index import SqlClaimIndex, terms_of  # noqa: E402

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
        if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequence; stats as autovacuum would
            session.execute(sa.text("SELECT setval(pg_get_serial_sequence('claims', 'id'), :n)"), {"n": len(texts)})
            session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        db.session.remove()
    return len(texts) / (time.perf_counter() - start)


def time_engine(app, probes: list[str]) -> tuple[list[float], list[dict[int, float]], list[int]]:
    """link_candidates per probe as a request would run it: fresh session and index."""
    times, found, candidates = [], [], []
    with app.app_context():
        for text in probes[:10]:  # warm-up: connection pool, compiled statements
            matcher(SqlClaimIndex(db.session())).link_candidates(text)
            db.session.remove()
        for text in probes:
            index = SqlClaimIndex(db.session())
            start = time.perf_counter()
            links = matcher(index).link_candidates(text)
            times.append(time.perf_counter() - start)
            found.append({link.claim_id: link.score for link in links})
            candidates.append(len(index._texts))  # texts the candidate query returned
            db.session.remove()
    return times, found, candidates


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


def ms(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="stored claims N")
    parser.add_argument("--database-url", help="PostgreSQL URL (a schema is made in it); default: SQLite")
    parser.add_argument("--exhaustive", type=int, help="probes scanned exhaustively (default 100, 20 above 200k)")
    parser.add_argument("--import-size", type=int, default=10_000, help="import_claims into a fresh store; 0: skip")
    parser.add_argument("--store-import", type=int, default=2_000, help="import_claims into the N store; 0: skip")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    if not LIAR.is_dir():
        print(f"LIAR data not found at {LIAR} (see shared/data/README.md); nothing measured.", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_checkthat import fresh_app  # noqa: E402  (here: the worker must not import bm25s)
    from factcheck.services.imports import import_claims

    statements = liar_statements()
    probes = probe_texts(statements)
    n_scan = args.exhaustive or (100 if args.size <= 200_000 else 20)
    scanned = sorted({round(i * len(probes) / n_scan) for i in range(n_scan)})  # near and unrelated alike
    backend = "PostgreSQL" if args.database_url else "SQLite"
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="factcheck-scale-") as workdir:
        with fresh_app(args.database_url, Path(workdir), "store") as app:
            with app.app_context():
                version = db.engine.dialect.server_version_info
            print(f"linking one new claim against N={args.size:,} stored claims; {backend} "
                  f"{'.'.join(map(str, version or ()))}; matcher {matcher.__module__}.matcher + SqlClaimIndex")
            texts = store_texts(statements, args.size)
            rate = load_store(app, texts)
            out["setup load (no linking)"] = f"{rate:,.0f} claims/s"
            print(f"store loaded: {args.size:,} claims at {rate:,.0f}/s", flush=True)

            times, engine_links, cands = time_engine(app, [t for _, t in probes])
            with app.app_context():
                thresholds = matcher(SqlClaimIndex(db.session())).thresholds
                db.session.remove()
            ids = np.arange(1, len(texts) + 1)
            start = time.perf_counter()
            prepared = [prepare.__wrapped__(t) for t in texts]  # bypass the cache: leave it to the engine
            print(f"exhaustive scan: {len(texts):,} texts prepared in {time.perf_counter() - start:.1f} s; "
                  f"scanning {len(scanned)} probes", flush=True)
            scan_times, hits = [], {"suggest": [0, 0], "auto": [0, 0]}
            for i in scanned:
                seconds, truth = exhaustive(probes[i][1], ids, prepared, thresholds)
                scan_times.append(seconds)
                for tier, cut in (("suggest", thresholds.suggest), ("auto", thresholds.auto)):
                    wanted = {c for c, s in truth.items() if s >= cut}
                    hits[tier][0] += len(wanted & engine_links[i].keys())
                    hits[tier][1] += len(wanted)
            del prepared

            near = [t for (kind, _), t in zip(probes, times) if kind == "near"]
            out["engine link_candidates median / p95"] = f"{ms(times, 50):.1f} / {ms(times, 95):.1f} ms"
            out["  near-duplicate probes only"] = f"{ms(near, 50):.1f} / {ms(near, 95):.1f} ms ({len(near)} probes)"
            out["  candidates per probe median / max"] = f"{statistics.median(cands):.0f} / {max(cands)}"
            out["exhaustive scan median / p95"] = (f"{ms(scan_times, 50):.0f} / {ms(scan_times, 95):.0f} ms "
                                                   f"({len(scan_times)} probes)")
            ratio = ms(scan_times, 95) / ms(times, 95)
            out["exhaustive p95 / engine p95"] = f"{ratio:,.0f}x   goal at 1M >= 100x {'ok' if ratio >= 100 else 'MISSED'}"
            for tier, (got, total) in hits.items():
                recall = got / total if total else float("nan")
                goal = "   goal at 1M >= 0.99 " + ("ok" if recall >= 0.99 else "MISSED") if tier == "suggest" else ""
                out[f"recall at {tier} (>= {getattr(thresholds, tier):g})"] = \
                    f"{recall:.4f} ({got}/{total} links){goal}"

            worker_texts = [t for _, t in probes[::5]]  # 50 probes: link_candidates + match each
            run = subprocess.run([sys.executable, __file__, "--worker", app.config["SQLALCHEMY_DATABASE_URI"]],
                                 input=json.dumps(worker_texts), capture_output=True, text=True, check=True)
            w = json.loads(run.stdout.strip().splitlines()[-1])
            out["worker peak RSS"] = (f"{w['rss_mb']:.0f} MB after {w['calls']} calls (at start {w['rss_start_mb']:.0f})"
                                      f"   goal at 1M < 300 MB {'ok' if w['rss_mb'] < 300 else 'MISSED'}")

            if args.store_import:
                with app.app_context():
                    rng = random.Random(3)
                    items = [{"text": vary(rng.choice(statements), rng)} for _ in range(args.store_import)]
                    start = time.perf_counter()
                    summary = import_claims(items)
                    rate = summary.created / (time.perf_counter() - start)
                out[f"import_claims into the N store ({args.store_import:,})"] = \
                    f"{rate:,.0f} claims/s ({summary.links} links)   goal >= 1,000 {'ok' if rate >= 1000 else 'MISSED'}"
        if args.import_size:
            with fresh_app(args.database_url, Path(workdir), "import") as app, app.app_context():
                start = time.perf_counter()
                summary = import_claims({"text": t} for t in statements[:args.import_size])
                rate = summary.created / (time.perf_counter() - start)
            out[f"import_claims, fresh store ({args.import_size:,} LIAR)"] = \
                f"{rate:,.0f} claims/s ({summary.links} links)   goal >= 1,000 {'ok' if rate >= 1000 else 'MISSED'}"

    print(f"\n== N={args.size:,} {backend}: {len(probes)} probes "
          f"({sum(k == 'near' for k, _ in probes)} near-duplicates) ==")
    width = max(map(len, out))
    for name, value in out.items():
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
