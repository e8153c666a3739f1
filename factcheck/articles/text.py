"""An article's main text (from html the client sent, by trafilatura) and its sentences with offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# pysbd's rules exist for these languages; another language is split by the English rules.
SEGMENTER_LANGUAGES = frozenset(
    ["en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl", "fa", "nl", "da", "fr", "my", "el", "it", "ja", "de", "kk", "sk"])
# Runs of spaces and tabs; other spaces (a no-break space) are the article's own, kept for its quotes.
_SPACES = re.compile(r"[ \t\f\v]+")
_PARAGRAPH = re.compile(r"[^\n]+")
_QUOTE = re.compile(r"“[^”]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.MULTILINE)


class NoText(ValueError):
    """The document holds no text to analyse."""


def main_text(html: str) -> str:
    """The article's main text, paragraphs one per line; never fetches anything (the html is given)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True,
                               deduplicate=False, with_metadata=False)
    if not text or not text.strip():
        raise NoText("The html holds no article text.")
    return text


def clean_text(text: str) -> str:
    """Line endings unified and runs of spaces collapsed, paragraphs kept one a line (offsets refer to this)."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article: its text, where it is, its paragraph, and whether it is quoted."""

    text: str
    start: int
    end: int
    paragraph: int
    quoted: bool


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `outside` is its text outside its full quotes (where their speaker is named)."""

    text: str
    start: int
    quotes: list[tuple[int, int]]  # full quotes' inner text, offsets in the article
    outside: str


@cache
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language if language in SEGMENTER_LANGUAGES else "en", clean=False)


def _full_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quoted statements (not a phrase quoted inside a sentence): opening the
    paragraph or after a comma or colon, at least eight words."""
    spans = []
    for q in _QUOTE.finditer(text):
        inner = q.group()[1:].rstrip("”\"")
        before = text[:q.start()].rstrip()
        if len(inner.split()) >= 8 and (not before or before[-1] in ",:"):
            spans.append((q.start() + 1, q.start() + 1 + len(inner)))
    return spans


def paragraphs(text: str) -> list[Paragraph]:
    found = []
    for match in _PARAGRAPH.finditer(text):
        spans = _full_quotes(match.group())
        outside, cursor = [], 0
        for q0, q1 in spans:
            outside.append(match.group()[cursor:q0 - 1])
            cursor = q1 + 1
        outside.append(match.group()[cursor:])
        found.append(Paragraph(match.group(), match.start(),
                               [(match.start() + a, match.start() + b) for a, b in spans], " … ".join(outside)))
    return found


def _split(segmenter, text: str, offset: int, paragraph: int, quoted: bool) -> list[Sentence]:
    found, cursor = [], 0
    for segment in segmenter.segment(text):
        segment = segment.strip().rstrip(",")
        at = text.find(segment, cursor) if segment else -1
        if at < 0 or not any(ch.isalnum() for ch in segment):
            continue
        cursor = at + len(segment)
        found.append(Sentence(segment, offset + at, offset + at + len(segment), paragraph, quoted))
    return found


def sentences(text: str, language: str = "en") -> tuple[list[Paragraph], list[Sentence]]:
    """The paragraphs and sentences of clean text, each sentence with its offsets in the text.
    A paragraph with full quotes gives their sentences alone (the rest names who speaks)."""
    segmenter = _segmenter(language)
    parts, found = paragraphs(text), []
    for number, paragraph in enumerate(parts):
        if paragraph.quotes:
            for q0, q1 in paragraph.quotes:
                found += _split(segmenter, text[q0:q1], q0, number, True)
        else:
            found += _split(segmenter, paragraph.text, paragraph.start, number, False)
    return parts, found
