"""Measure factcheck.matching on CheckThat! 2020 task 2: retrieval MAP@5 and link precision."""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.matching import (
    InMemoryClaimIndex,
    Matcher,
    MatcherSettings,
    Thresholds,
    clean_text,
    exhaustive_links,
    prepare,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "checkthat2020-task2"
SPLITS = ("train", "dev")


def read_tsv(path: Path) -> list[list[str]]:
    csv.field_size_limit(10**7)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def load(data: Path):
    claims = {int(r[0]): r[1] for r in read_tsv(data / "verified_claims.docs.tsv")[1:] if r and r[0].strip()}
    splits = {}
    for split in SPLITS:
        tweets = {int(r[0]): r[1] for r in read_tsv(data / split / "tweets.queries.tsv")[1:] if r and r[0].strip()}
        qrels: dict[int, set[int]] = {}
        for line in (data / split / "tweet-vclaim-pairs.qrels").read_text().split("\n"):
            parts = line.split()
            if len(parts) == 4 and parts[3] != "0":
                qrels.setdefault(int(parts[0]), set()).add(int(parts[2]))
        splits[split] = (tweets, qrels)
    return claims, splits


def average_precision_at_5(ranked: list[int], relevant: set[int]) -> float:
    hits, total = 0, 0.0
    for rank, claim_id in enumerate(ranked[:5], 1):
        if claim_id in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), 5) if relevant else 0.0


def evaluate(rankings: dict[int, list[int]], qrels: dict[int, set[int]]) -> tuple[float, float]:
    ap = [average_precision_at_5(rankings.get(q, []), rel) for q, rel in qrels.items()]
    p1 = [1.0 if rankings.get(q, [None])[:1] and rankings[q][0] in rel else 0.0 for q, rel in qrels.items()]
    return sum(ap) / len(ap), sum(p1) / len(p1)


def bm25s_rankings(claims, tweets, clean: bool, k1: float, b: float) -> dict[int, list[int]]:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    ids = list(claims)
    retriever = bm25s.BM25(k1=k1, b=b)
    retriever.index(bm25s.tokenize([claims[i] for i in ids], stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)
    qids = list(tweets)
    texts = [clean_text(tweets[q]) if clean else tweets[q] for q in qids]
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)
    # A query left with no known term would make bm25s fail; give it a dummy token.
    tokens = [t or ["__none__"] for t in tokens]
    results, _ = retriever.retrieve(tokens, k=5, show_progress=False, n_threads=1)
    return {q: [ids[j] for j in row] for q, row in zip(qids, results)}


def retrieval_report(claims, splits, settings: MatcherSettings) -> dict[str, float]:
    index = InMemoryClaimIndex()
    index.add_many(claims.items())
    matcher = Matcher(index, settings=settings)
    out = {}
    print(f"\n== retrieval: {len(claims)} verified claims; MAP@5 / P@1 ==")
    for split, (tweets, qrels) in splits.items():
        rows = {
            "(a) bm25s plain (k1=1.5 b=0.75)": bm25s_rankings(claims, tweets, False, 1.5, 0.75),
            "(b) bm25s + our cleaning (k1=1.2 b=0.5)": bm25s_rankings(claims, tweets, True, 1.2, 0.5),
        }
        start = time.perf_counter()
        rows["(c) Matcher.match"] = {q: [m.claim_id for m in matcher.match(t, 5)] for q, t in tweets.items()}
        ms = (time.perf_counter() - start) * 1000 / len(tweets)
        for name, rankings in rows.items():
            ap, p1 = evaluate(rankings, qrels)
            out[f"{split} {name}"] = ap
            extra = f"  ({ms:.1f} ms/query)" if name.startswith("(c)") else ""
            print(f"{split:5} {name:42} MAP@5 {ap:.4f}  P@1 {p1:.4f}{extra}")
    return out


def pr(found: set, truth: set) -> str:
    tp = len(found & truth)
    precision = f"{tp / len(found):.3f}" if found else "  n/a"
    return f"{len(found):4} links, precision {precision}, recall {tp / max(len(truth), 1):.3f}"


def canonical_claims(claims: dict[int, str]) -> dict[int, int]:
    """Map each verified claim to the first one with the same words: the data holds copies
    that differ in spaces or punctuation only (561/562), and tweets of one claim split
    between them, so a correct link to the copy would count as wrong."""
    first: dict[str, int] = {}
    return {i: first.setdefault(prepare(text), i) for i, text in claims.items()}


def grid(scored: dict, truth: set) -> str:
    cells = []
    for t in (60, 65, 70, 75, 80, 85, 90, 95):
        found = {p for p, (s, _) in scored.items() if s >= t}
        cells.append(f">={t}: {len(found)}/{len(found & truth) / max(len(found), 1):.2f}")
    return "score >= t: links/precision  " + "  ".join(cells)


def summarise(scored: dict, truth: set, thresholds: Thresholds) -> None:
    confirmed = {p for p, (s, status) in scored.items() if status == "confirmed" and s >= thresholds.auto}
    suggested = {p for p, (s, _) in scored.items() if s >= thresholds.suggest}
    print(f"confirmed (>= {thresholds.auto:g}, >= {thresholds.min_words_auto} words): {pr(confirmed, truth)}")
    print(f"suggested+confirmed (>= {thresholds.suggest:g}):        {pr(suggested, truth)}")
    print(grid(scored, truth))


def linking_report(claims, splits, thresholds: Thresholds, settings: MatcherSettings) -> None:
    """Index tweets one by one, linking each to the earlier ones; judge pairs by the qrels."""
    canon = canonical_claims(claims)
    tweets, vclaim = {}, {}
    for split_tweets, qrels in splits.values():
        for q, text in split_tweets.items():
            key = len(tweets)  # tweet ids repeat across splits
            tweets[key] = text
            vclaim[key] = frozenset(canon.get(v, v) for v in qrels.get(q, ()))
    # Collect every pair down to 50 so the grid can show other thresholds.
    probe = Thresholds(suggest=50.0, auto=thresholds.auto, min_words_auto=thresholds.min_words_auto)
    index = InMemoryClaimIndex()
    matcher = Matcher(index, probe, settings)
    scored: dict[tuple[int, int], tuple[float, str]] = {}
    missed_by_retrieval = exhaustive_total = 0
    start = time.perf_counter()
    for key, text in tweets.items():
        links = matcher.link_candidates(text)
        for link in links:
            scored[(link.claim_id, key)] = (link.score, link.status)
        # Exhaustive reference at the suggest threshold: what rare-term retrieval misses.
        reference = {x.claim_id for x in exhaustive_links(text, index.all_texts(), thresholds)}
        exhaustive_total += len(reference)
        missed_by_retrieval += len(reference - {x.claim_id for x in links})
        index.add(key, text)
    ms = (time.perf_counter() - start) * 1000 / len(tweets)
    keys = list(tweets)
    truth = {(a, b) for i, a in enumerate(keys) for b in keys[i + 1:] if vclaim[a] & vclaim[b]}
    print(f"\n== linking tweets to earlier tweets: {len(tweets)} stored one by one, {len(truth)} true "
          f"pairs (same verified claim, copies merged); {ms:.1f} ms/tweet ==")
    summarise(scored, truth, thresholds)
    print(f"candidate retrieval recall vs exhaustive scan (score >= {thresholds.suggest:g}): "
          f"{1 - missed_by_retrieval / max(exhaustive_total, 1):.3f} of {exhaustive_total} links")
    wrong = sorted(((s, p) for p, (s, _) in scored.items() if s >= thresholds.suggest and p not in truth), reverse=True)
    for s, (a, b) in wrong[:3]:
        print(f"  false link {s:.1f}: {tweets[a][:60]!r} ~ {tweets[b][:60]!r}")

    # Tweets that copy the fact-checker's wording: link each tweet against the verified claims.
    index = InMemoryClaimIndex()
    index.add_many(claims.items())
    matcher = Matcher(index, probe, settings)
    scored, truth = {}, set()
    for key, text in tweets.items():
        truth |= {(v, key) for v in claims if canon[v] in vclaim[key]}
        for link in matcher.link_candidates(text):
            scored[(link.claim_id, key)] = (link.score, link.status)
    print(f"\n== linking tweets to the {len(claims)} verified claims ({len(truth)} true pairs) ==")
    summarise(scored, truth, thresholds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if not (args.data / "verified_claims.docs.tsv").is_file():
        print(f"CheckThat! 2020 task 2 data not found at {args.data} (see shared/data/README.md); "
              "nothing measured.", file=sys.stderr)
        return 2
    claims, splits = load(args.data)
    settings, thresholds = MatcherSettings(), Thresholds()
    retrieval_report(claims, splits, settings)
    linking_report(claims, splits, thresholds, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
