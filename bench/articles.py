"""Article analysis: latency of POST /api/v1/articles' work on the seed story and a ~2,000-word
article over a store of claims, and the shipped check-worthiness model's F1 on CheckThat! 2024.

    .venv/bin/python bench/articles.py [--claims 100000] [--database-url postgresql+psycopg://...]
                                       [--load-threads 2]

Builds a fresh store (temporary SQLite, or a throwaway schema in the PostgreSQL database given)
with the seed and N LIAR claims (../shared/data/liar), then times, median of --runs after a
warm-up: the analysis alone (with and without sentence embeddings) and the whole request's work
(analysis, storing, each candidate's matches), beside one POST /claims/match in the same run.
The store is built with --load-threads torch threads (as a bulk import on an idle machine may
be); requests are timed on SEMANTIC_THREADS (1), as a worker serves them.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import flask_migrate
import torch
from harness import database_url, drop_schema, liar_rows, load_claims
from train_checkworthiness import DATA, baseline, read

from factcheck import create_app, settings
from factcheck.articles import analyse, worthiness
from factcheck.extensions import db
from factcheck.semantic import load_encoder
from factcheck.services.claims import articles
from factcheck.services.links import decisions as links
from factcheck.services.links.embeddings import semantic

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
STORY = (SEEDS / "il20-article.txt").read_text(encoding="utf-8")
ARTICLE = {"url": "https://www.breitbart.com/middle-east/2018/09/26/netanyahu-israeli-russian-army-officials-"
                  "to-work-on-restoring-ties/", "title": "Netanyahu: Israeli, Russian Army Officials to Work "
                  "on Restoring Ties", "outlet": {"name": "Breitbart News", "domain": "breitbart.com"}}


def long_article(words: int = 2000) -> str:
    """The seed story, then LIAR statements reported as an article reports them, to ~`words` words."""
    paragraphs, count = STORY.splitlines(), len(STORY.split())
    for n, (_, text, speaker) in enumerate(liar_rows()[5000:]):
        name = speaker.replace("-", " ").title() or "The senator"
        line = (f"{name} said {text[0].lower()}{text[1:]}" if n % 3 == 0 else
                f"“{text}” {name} told reporters." if n % 3 == 1 else text)
        paragraphs.append(line)
        count += len(line.split())
        if count >= words:
            break
    return "\n\n".join(paragraphs)


def timed(work, runs: int) -> float:
    work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def latency(app, runs: int) -> None:
    encoder, float32 = load_encoder(worthiness.ENCODER), load_encoder(worthiness.ENCODER, precision="float32")
    with app.app_context():
        for name, text in (("seed story", STORY), ("2,000-word article", long_article())):
            n_words, n_candidates = len(text.split()), len(analyse(text).candidates)

            numbers = itertools.count()

            def request(text=text, numbers=numbers):
                # A new url each time: the whole post, stored anew; its sentences encoded anew,
                # as a new article's are (the stage keeps the texts it encoded lately).
                if (stage := semantic()) is not None:
                    stage.forget_texts()
                url = f"{ARTICLE['url']}{next(numbers)}"
                article_id, _ = articles.store_article({**ARTICLE, "url": url, "text": text}, settings.current())
                articles.get_article(article_id, None, settings.current(), ask=True)

            sentences = [c.sentence for c in analyse(text).candidates]
            encoding = timed(lambda sentences=sentences: encoder.encode(sentences), runs)
            encoding_float32 = timed(lambda sentences=sentences: float32.encode(sentences), runs)
            full = timed(lambda text=text: analyse(text, encoder=encoder), runs)
            ngrams = timed(lambda text=text: analyse(text), runs)
            whole = timed(request, runs)
            one_match = timed(lambda: links.check("Russia was notified of the raid in advance.", 3), runs)
            print(f"{name} ({n_words} words, {n_candidates} candidates): analysis {full:.0f} ms, of which "
                  f"MiniLM encoding {encoding:.0f} ms in {encoder.precision} (float32 {encoding_float32:.0f} ms; "
                  f"without embeddings {ngrams:.0f} ms); whole POST work "
                  f"{whole:.0f} ms = "
                  f"{whole / one_match:.0f} x one /claims/match ({one_match:.1f} ms)")


def evaluation() -> None:
    """The shipped model's F1 (Yes) on dev-test, beside TF-IDF + LR fitted now on train (its
    threshold chosen on dev, as the shipped model's was)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score

    if not (DATA / "train.tsv").exists():
        print(f"check-worthiness: no data at {DATA}; evaluation skipped")
        return
    (train, y_train), (dev, y_dev), (test, y_test) = (read(DATA / f) for f in ("train.tsv", "dev.tsv",
                                                                               "dev-test.tsv"))
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    base = baseline(tfidf.fit_transform(train), y_train, tfidf.transform(dev), y_dev, tfidf.transform(test), y_test)
    scorer = worthiness.scorer()
    full = f1_score(y_test, [s >= 0.5 for s in scorer.score(test, load_encoder(worthiness.ENCODER))[0]])
    ngrams = f1_score(y_test, [s >= 0.5 for s in scorer.score(test)[0]])
    print(f"check-worthiness F1 (Yes), CheckThat! 2024 dev-test: shipped model {full:.3f}, its n-gram head "
          f"{ngrams:.3f}; TF-IDF + LR baseline {base:.3f} (ratio {full / base:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--database-url", help="PostgreSQL base url (default: a temporary SQLite file).")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load-threads", type=int, default=2, help="torch threads while the store is built")
    args = parser.parse_args()
    evaluation()
    with tempfile.TemporaryDirectory() as workdir:
        url, schema = database_url(args.database_url, Path(workdir))
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade()
            app.test_cli_runner().invoke(args=["seed"])
            db.session.remove()
        if args.claims:
            with app.app_context():
                semantic()  # loads the model, on SEMANTIC_THREADS
            torch.set_num_threads(args.load_threads)
            load_claims(url, args.claims)
            torch.set_num_threads(app.config["SEMANTIC_THREADS"])
        print(f"{url.split(':')[0].split('+')[0]} store: the seed + {args.claims:,} LIAR claims")
        try:
            latency(app, args.runs)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            drop_schema(args.database_url, schema)


if __name__ == "__main__":
    csv.field_size_limit(1 << 20)
    main()
