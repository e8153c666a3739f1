"""Gather published ClaimReview markup from saved fact-check pages into one corpus file.

    python bench/gather_claimreview.py FIXTURES_DIR bench/data/claimreview_published.json

FIXTURES_DIR holds pages as fact-checkers served them: HTML files, or JSON files that carry
pages as strings (meedan/fetch's spec/fixtures: {"url": ..., "page": "<html ..."}) or
ClaimReview objects themselves (a Data Commons feed item, Google's claims:search). Each JSON-LD
block that holds a ClaimReview is kept verbatim, with the page's address (page_url) and its
`<html lang>` (page_lang): the language the publisher declares for the page, which the
evaluation compares with the claim's.
"""
import argparse
import html
import json
import re
import sys
from pathlib import Path

LD_JSON = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
HTML_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


def _strings_and_nodes(value, found: list):
    """Every page (a string holding <html) and every dict with a ClaimReview in a JSON value."""
    if isinstance(value, str):
        if "<html" in value[:2000].lower() or "application/ld+json" in value:
            found.append(("page", value))
    elif isinstance(value, list):
        for item in value:
            _strings_and_nodes(item, found)
    elif isinstance(value, dict):
        # A ClaimReview, a Data Commons feed item, or a claim as Google's claims:search gives it.
        if ("ClaimReview" in json.dumps(value.get("@type", ""), ensure_ascii=False)
                or value.get("@type") in ("DataFeedItem", "DataFeed") or "claimReview" in value):
            found.append(("node", value))
            return
        for item in value.values():
            _strings_and_nodes(item, found)


def _blocks(page: str) -> list:
    """The JSON-LD blocks of a page that mention ClaimReview, parsed (unparseable ones skipped)."""
    blocks = []
    for text in LD_JSON.findall(page):
        if "ClaimReview" not in text:
            continue
        try:
            blocks.append(json.loads(text.strip().removeprefix("<!--").removesuffix("-->"), strict=False))
        except json.JSONDecodeError:
            try:  # some pages HTML-escape their JSON-LD
                blocks.append(json.loads(html.unescape(text), strict=False))
            except json.JSONDecodeError as error:
                print(f"  unparseable JSON-LD block skipped: {error}", file=sys.stderr)
    return blocks


def _page_url(raw: str) -> str | None:
    """The address a saved page was fetched from, when the fixture records it ({"url": ...})."""
    try:
        saved = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return saved.get("url") if isinstance(saved, dict) and isinstance(saved.get("url"), str) else None


def gather(directory: Path) -> list[dict]:
    corpus = []
    for path in sorted(directory.iterdir()):
        raw = path.read_text(encoding="utf-8", errors="replace")
        if "ClaimReview" not in raw and '"claimReview"' not in raw:
            continue
        found: list = []
        try:
            _strings_and_nodes(json.loads(raw), found)
        except json.JSONDecodeError:
            found.append(("page", raw))
        page_url = _page_url(raw)
        for kind, value in found:
            if kind == "node":
                corpus.append({"source": path.name, "page_url": None, "page_lang": None, "markup": value})
                continue
            lang = HTML_LANG.search(value)
            for block in _blocks(value):
                corpus.append({"source": path.name, "page_url": page_url, "page_lang": lang and lang.group(1),
                               "markup": block})
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    corpus = gather(args.directory)
    args.output.write_text(json.dumps(corpus, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(corpus)} JSON-LD blocks with a ClaimReview from {len({c['source'] for c in corpus})} files "
          f"-> {args.output}")


if __name__ == "__main__":
    main()
