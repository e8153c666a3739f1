"""The semantic stage at scale: N stored claims with their vectors, served by an app worker.

    .venv/bin/python bench/semantic_scale.py --size 1000000 [--database-url URL] [--vectors FILE]
                                             [--encode-first M]

Stores N texts (LIAR statements varied to N, as bench/scale_linking.py stores them: each
statement then has many wordings) with their sentence vectors through a fast path (Claim
rows, index postings and claim_vectors rows; no linking), each statement's wordings put in
one group, as linking them would have left them. The vectors are the app's encoder's
(SEMANTIC_MODEL's default, in the precision it runs in on this CPU), encoded here in batches,
two torch threads (with --encode-first M, only the first M: see derived()), and kept in
--vectors (a .npy file) so that another run, or the other engine, does not encode them again.

Then an app worker in its own process, the semantic stage on, as gunicorn runs one (one
thread): the seconds its start takes (model and N vectors loaded), its RSS then, `match` for
200 new texts and link_candidates for 250 probes (p50 / p95, every text encoded anew), each
beside the same call with the dense search run in the caller's thread before the words'
query (the baseline), its RSS after; then import_claims of 500 varied copies into the N
store, embeddings included.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_linking import (
    BATCH,
    goal,
    liar_missing,
    liar_statements,
    load_store,
    peak_rss_mb,
    probe_texts,
    store_arguments,
    store_texts,
    vary,
)

from factcheck import create_app
from factcheck.extensions import db
from factcheck.matching import clean_text
from factcheck.models import Claim, ClaimVector
from factcheck.semantic import load_encoder
from factcheck.services.links.decisions import match, matcher
from factcheck.services.links.dense import DenseIndex
from factcheck.services.links.embeddings import semantic, warm_up
from factcheck.services.links.match_index import SqlClaimIndex

MODEL = "all-MiniLM-L6-v2"
ENCODE_CHUNK = 20_000


def encoded(texts: list[str], path: Path | None, statements: int, first: int | None = None) -> np.ndarray:
    """The texts' vectors as the linker stores them (cleaned texts, passages), from `path` when
    it holds as many; else encoded here and saved there. With `first`, only the first texts are
    encoded, and each later one's vector is an encoded wording of its statement with noise
    (derived())."""
    if path is not None and path.exists():
        vectors = np.load(path, mmap_mode="r")
        if len(vectors) == len(texts):
            print(f"vectors of the {len(texts):,} texts read from {path}", flush=True)
            return vectors
    encoder, start = load_encoder(MODEL, threads=2), time.perf_counter()
    vectors = np.zeros((len(texts), encoder.dimensions), dtype=np.float32)
    end = first or len(texts)
    for lo in range(0, end, ENCODE_CHUNK):
        done = min(lo + ENCODE_CHUNK, end)
        vectors[lo:done] = encoder.encode([clean_text(t) for t in texts[lo:done]])
        print(f"  encoded {done:,} ({done / (time.perf_counter() - start):,.0f} texts/s, {encoder.precision})",
              flush=True)
    if first:
        derived(vectors, first, statements)
    if path is not None:
        np.save(path, vectors)
    return vectors


def derived(vectors: np.ndarray, first: int, statements: int) -> None:
    """Text i is a wording of statement i % statements (store_texts): its vector, past the
    first encoded ones, is one of those wordings' plus Gaussian noise, at cosine ~0.9 to the
    statement's first wording. A store as large as a real one, at a fraction of the encoding
    (1,000,000 texts take hours on a CPU without bfloat16): what it costs to hold and search
    is measured as with real vectors; which links it finds is not."""
    rng = np.random.default_rng(7)
    for lo in range(first, len(vectors), ENCODE_CHUNK):
        i = np.arange(lo, min(lo + ENCODE_CHUNK, len(vectors)))
        statement = i % statements
        wording = statement + statements * rng.integers(0, (first - 1 - statement) // statements + 1)
        noisy = vectors[wording] + rng.normal(0, 0.02, size=(len(i), vectors.shape[1])).astype(np.float32)
        vectors[i] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def load_vectors(app, vectors: np.ndarray) -> float:
    """claim_vectors rows for claims 1..N in batches; returns rows/s."""
    start, table = time.perf_counter(), ClaimVector.__table__
    with app.app_context():
        session = db.session()
        for lo in range(0, len(vectors), BATCH):
            session.execute(table.insert(), [{"claim_id": i + 1, "model": MODEL, "vector": vector.tobytes()}
                                             for i, vector in enumerate(np.asarray(vectors[lo:lo + BATCH]), lo)])
            session.commit()
        db.session.remove()
    return len(vectors) / (time.perf_counter() - start)


def group_copies(app, statements: int) -> None:
    """Claim i + 1 holds statement i % statements (store_texts): each statement's wordings in one group."""
    with app.app_context():
        db.session.execute(sa.update(Claim).values(group_id=(Claim.id - 1) % statements + 1))
        db.session.commit()
        db.session.remove()


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def percentiles(seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"p50 {statistics.median(ms):.1f} ms, p95 {statistics.quantiles(ms, n=20)[-1]:.1f} ms"


def in_callers_thread(self, texts, *, query, limit, exclude, min_cosine=-1.0) -> Future:
    """DenseIndex.search as it ran before the search thread: encoded and searched in the
    caller's thread, before the words' candidates are read (the baseline)."""
    done, vectors = Future(), self.vectors(texts, query=query)
    done.set_result((vectors, self.nearest(vectors, limit, exclude, min_cosine)))
    return done


def worker(url: str) -> None:
    """Subprocess: one app worker, one thread, the semantic stage on (SEMANTIC_MODEL's default).
    Each text is timed twice, its search in the worker's search thread and in the caller's,
    in turns (which goes first alternates)."""
    queries, probes = json.load(sys.stdin)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATE_LIMIT_PER_MINUTE": 10**6})
    before, start = rss_mb(), time.perf_counter()
    ways = {"thread": DenseIndex.search, "caller": in_callers_thread}
    times = {(what, way): [] for what in ("match", "link") for way in ways}

    def timed(what: str, call, texts: list[str]) -> None:
        for i, text in enumerate(texts):
            for way in sorted(ways, reverse=i % 2 == 1):
                DenseIndex.search = ways[way]
                stage.forget_texts()
                t0 = time.perf_counter()
                call(text)
                times[what, way].append(time.perf_counter() - t0)
                db.session.remove()
        DenseIndex.search = ways["thread"]

    with app.app_context():
        warm_up()
        stage = semantic()
        started, vectors = time.perf_counter() - start, len(stage.store)
        after_start = rss_mb()
        timed("match", lambda text: match(text, 5), queries)
        timed("link", lambda text: matcher(SqlClaimIndex(db.session()), linking=True).link_candidates(text), probes)
    print(json.dumps({"start_s": started, "vectors": vectors, "rss_before": before, "rss_started": after_start,
                      "rss_after": rss_mb(), "rss_peak": peak_rss_mb(), "precision": stage.store.precision,
                      **{f"{what} {way}": percentiles(seconds) for (what, way), seconds in times.items()},
                      **{f"{what} p95": statistics.quantiles(times[what, "thread"], n=20)[-1]
                         for what in ("match", "link")}}))


def main() -> int:
    parser = store_arguments(__doc__)
    parser.add_argument("--vectors", type=Path, help="a .npy file keeping the N texts' vectors between runs")
    parser.add_argument("--encode-first", type=int, metavar="M",
                        help="encode the first M texts only, the others' vectors derived from theirs (see derived())")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker) or 0
    if liar_missing():
        return 2
    from eval_checkthat import fresh_app

    from factcheck.services.exchange.bulk import import_claims

    statements = liar_statements()
    if args.encode_first is not None and not len(statements) <= args.encode_first <= args.size:
        parser.error(f"--encode-first must be between the {len(statements):,} statements and --size: "
                     "each later text takes an encoded wording of its statement")
    texts, rng = store_texts(statements, args.size), random.Random(4)
    queries = [f"Is it true that {s[0].lower()}{s[1:]}" for s in rng.sample(statements, 200)]
    probes = [text for _, text in probe_texts(statements)]
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores here)", flush=True)
    vectors = encoded(texts, args.vectors, len(statements), args.encode_first)
    rows = []
    with (tempfile.TemporaryDirectory(prefix="factcheck-semantic-scale-") as workdir,
          fresh_app(args.database_url, Path(workdir), "semantic") as app):
        rows.append(("setup load: claims and postings", f"{load_store(app, texts):,.0f} claims/s"))
        rows.append(("setup load: vectors", f"{load_vectors(app, vectors):,.0f} rows/s"))
        group_copies(app, len(statements))
        del vectors
        run = subprocess.run([sys.executable, __file__, "--worker", app.config["SQLALCHEMY_DATABASE_URI"]],
                             input=json.dumps([queries, probes]), capture_output=True, text=True, check=True)
        w = json.loads(run.stdout.strip().splitlines()[-1])
        rows += [
            ("worker start: model and vectors", f"{w['start_s']:.1f} s ({w['vectors']:,} vectors, {w['precision']})"),
            ("worker RSS: app, model and vectors",
             f"{w['rss_started']:,.0f} MB (before the model {w['rss_before']:,.0f} MB)"),
            ("match, 200 new texts", w["match thread"] + goal(w["match p95"] <= 0.150, "at 1M p95 <= 150 ms")),
            ("  the search in the caller's thread", w["match caller"]),
            ("link_candidates, 250 probes", w["link thread"] + goal(w["link p95"] <= 0.100, "at 1M p95 <= 100 ms")),
            ("  the search in the caller's thread", w["link caller"]),
            ("worker RSS after", f"{w['rss_after']:,.0f} MB, peak {w['rss_peak']:,.0f} MB"
                                 + goal(w["rss_peak"] <= 600, "at 1M <= 600 MB")),
        ]
        if args.store_import:
            items = [{"text": vary(rng.choice(statements), rng)} for _ in range(args.store_import)]
            with app.app_context():
                start = time.perf_counter()
                summary = import_claims(items)
                rate = summary.created / (time.perf_counter() - start)
            rows.append((f"import_claims into the N store ({args.store_import:,} varied)",
                         f"{rate:,.0f} claims/s ({summary.links:,} links){goal(rate >= 150, '>= 150')}"))
    print(f"\n== N={args.size:,} {backend}, semantic stage on; load average now "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} ==")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
