"""Import a corpus of published ClaimReview markup twice, through the app, and print how much of
it factcheck keeps.

    .venv/bin/python bench/eval_claimreview.py bench/data/claimreview_published.json [--database-url URL]

The corpus is a JSON file: either a list of {"source", "page_lang", "markup"} entries (as
bench/gather_claimreview.py writes them; page_lang is the `<html lang>` of the page the markup
was published on) or one ClaimReview document as `flask import-claimreview` takes it. Each
entry is imported as one document, on a fresh database (a temporary SQLite file, or a
throwaway schema of the PostgreSQL database at URL), then the whole corpus again.

Printed:
- imported: reviews with a claim text and a label (a node with `claimReviewed` and
  `reviewRating.alternateName`/`name`, or Google's `text` and `textualRating`) that were stored;
- language right: of those whose page declares a language, the stored claim's primary
  language subtag equals the page's;
- category known: stored verdicts whose label or numbers the rating table reads;
- itemReviewed.url kept: reviews whose `itemReviewed.url` is a url, and the claim has it as
  an appearance;
- HTML entities left: stored texts (claims, titles, explanations, names) holding `&amp;`,
  `&#039;` or the like;
- second import: reviews created or updated by importing the same corpus again (0 is right).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent))

import marshmallow as ma
from eval_checkthat import fresh_app
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.identity import canonical_url
from factcheck.models import Appearance, Claim, Verdict
from factcheck.ratings import normalise_rating
from factcheck.schemas.claimreview_documents import absolute_url, types_of
from factcheck.schemas.claimreview_import import ClaimReviewDocumentSchema
from factcheck.services.exchange.claimreview_import import ImportSummary, import_reviews

ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")


def normalise_url(url: str) -> str:
    """One spelling of a url as factcheck stores articles (identity.canonical_url); what is not
    an http(s) url as given."""
    try:
        return canonical_url(url)
    except ValueError:
        return url


def entries(corpus) -> list[tuple[str, str | None, str | None, object]]:
    """(source, page url, page language, document) for each document of the corpus."""
    if isinstance(corpus, list) and corpus and all(isinstance(e, dict) and "markup" in e for e in corpus):
        return [(e.get("source", "?"), e.get("page_url"), e.get("page_lang"), e["markup"]) for e in corpus]
    return [("corpus", None, None, corpus)]


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def reviews_in(node, found: list) -> None:
    """Every review of a document that has a claim text and a label, as (review url, item url,
    whether the claim is dated)."""
    if isinstance(node, list):
        for child in node:
            reviews_in(child, found)
        return
    if not isinstance(node, dict):
        return
    if "ClaimReview" in types_of(node):
        rating = node.get("reviewRating")
        rating = rating[0] if isinstance(rating, list) and rating else rating
        label = _text(rating.get("alternateName") or rating.get("name")) if isinstance(rating, dict) else ""
        if _text(node.get("claimReviewed")) and label:
            item = node.get("itemReviewed")
            item = item[0] if isinstance(item, list) and item else item
            item_url = item.get("url") if isinstance(item, dict) else None
            dated = bool(isinstance(item, dict) and _text(item.get("datePublished")))
            found.append((_text(node.get("url")), item_url if isinstance(item_url, str) and item_url else None,
                          dated))
        return
    if "claimReview" in node and isinstance(node.get("claimReview"), list):  # Google's claims:search
        for review in node["claimReview"]:
            if isinstance(review, dict) and _text(node.get("text")) and _text(review.get("textualRating")):
                found.append((_text(review.get("url")), None, bool(_text(node.get("claimDate")))))
        return
    for value in node.values():
        reviews_in(value, found)


def import_corpus(items) -> tuple[ImportSummary, Counter]:
    summary, problems = ImportSummary(), Counter()
    for source, page_url, _, document in items:
        try:
            loaded = ClaimReviewDocumentSchema(base_url=page_url).load(document)
        except ma.ValidationError as error:
            problems[f"document refused: {error.messages}"] += 1
            continue
        part = import_reviews(loaded["reviews"], ImportSummary(rejected=list(loaded["rejected"])))
        for name in ("created", "updated", "unchanged"):
            setattr(summary, name, getattr(summary, name) + getattr(part, name))
        summary.rejected.extend({**item, "source": source} for item in part.rejected)
        summary.warnings.extend({**item, "source": source} for item in part.warnings)
    return summary, problems


def stored_texts() -> list[str]:
    texts = list(db.session.scalars(select(Claim.text)))
    for verdict in db.session.scalars(select(Verdict)):
        texts += [verdict.rating, verdict.explanation or "", verdict.publisher.name]
    for appearance in db.session.scalars(select(Appearance)):
        texts += [appearance.article.title or "", appearance.claimant.name if appearance.claimant else ""]
    texts += [claim.claimant.name for claim in db.session.scalars(select(Claim)) if claim.claimant]
    return texts


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "0/0"


def evaluate(items) -> None:
    wanted = []  # (review url, item url, page language)
    for _, page_url, lang, document in items:
        found: list = []
        reviews_in(document, found)
        wanted += [(absolute_url(review_url, page_url), item_url, dated, lang)
                   for review_url, item_url, dated in found]

    first, problems = import_corpus(items)
    second, _ = import_corpus(items)

    verdicts = db.session.scalars(select(Verdict)).all()
    by_url: dict[str, Verdict] = {}
    for verdict in verdicts:
        if verdict.url:
            by_url.setdefault(normalise_url(verdict.url), verdict)
    imported = languages = right = kept_items = item_urls = dated_claims = kept_dates = 0
    wrong: list[str] = []
    for review_url, item_url, dated, lang in wanted:
        verdict = by_url.get(normalise_url(review_url)) if review_url.startswith("http") else None
        if verdict is None:
            continue
        imported += 1
        if dated:
            dated_claims += 1
            kept_dates += verdict.claim.claim_date is not None
        if lang:
            languages += 1
            if verdict.claim.language.split("-")[0].lower() == lang.split("-")[0].lower():
                right += 1
            else:
                wrong.append(f"{verdict.claim.language} for {lang}: {verdict.claim.text[:70]!r}")
        if item_url:
            item_urls += 1
            resolved = normalise_url(urljoin(verdict.url, item_url))
            kept_items += resolved in {normalise_url(a.article.url) for a in verdict.claim.appearances}
    known = sum(normalise_rating(v.rating, rating_value=v.rating_value, best_rating=v.best_rating,
                                 worst_rating=v.worst_rating, publisher_site=v.publisher.site).known
                for v in verdicts)
    entities = [text for text in stored_texts() if ENTITY.search(text)]
    sources = Counter(v.claim.language_source for v in verdicts)

    print(f"documents: {len(items)}; reviews with a claim text and a label: {len(wanted)}")
    print(f"first import: created {first.created}, updated {first.updated}, unchanged {first.unchanged}, "
          f"rejected {len(first.rejected)}, with warnings {len(first.warnings)}")
    print(f"imported (claim text and label):  {pct(imported, len(wanted))}")
    print(f"language right (page declares):   {pct(right, languages)}  "
          f"(claims' languages: {dict(sources)})")
    print(f"category known:                   {pct(known, len(verdicts))}")
    print(f"itemReviewed.url kept:            {pct(kept_items, item_urls)}")
    print(f"claim's date kept:                {pct(kept_dates, dated_claims)}")
    print(f"HTML entities left:               {len(entities)} texts")
    print(f"second import: created {second.created}, updated {second.updated}, unchanged {second.unchanged}, "
          f"rejected {len(second.rejected)}")
    print(f"changes on the second import:     {second.created + second.updated}")
    for problem, count in problems.items():
        print(f"  {count} x {problem}")
    reasons = Counter(json.dumps(item["errors"], ensure_ascii=False)[:160] for item in first.rejected)
    for reason, count in reasons.most_common(15):
        print(f"  rejected {count} x {reason}")
    for miss in wrong[:5]:
        print(f"  language {miss}")
    for text in entities[:5]:
        print(f"  entity left: {text[:100]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--database-url", help="PostgreSQL URL; default: a temporary SQLite file")
    args = parser.parse_args()
    items = entries(json.loads(args.corpus.read_text(encoding="utf-8")))
    with (tempfile.TemporaryDirectory() as workdir,
          fresh_app(args.database_url, Path(workdir), "claimreview") as app, app.app_context()):
        evaluate(items)


if __name__ == "__main__":
    main()
