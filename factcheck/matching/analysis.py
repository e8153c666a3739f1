"""Text analysis shared by indexing and querying: cleaning, index terms, BM25 weights."""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

# BM25 parameters used for the stored weights and for ranking. Tuned on CheckThat! 2020
# task 2 train (bench/tune_matching.py): b=0.5 beat 0.75 (claims are short and alike in
# length); k1 in 0.9..1.5 all within 0.005 MAP@5.
K1 = 1.2
B = 0.5

# Lucene's English list (what bm25s calls "en") plus pronouns, auxiliaries and tweet filler.
# Negations stay out of the list on purpose: "is not" vs "is" matters to a fact-checker's reader
# but costs little in ranking, and keeping them makes "X is not Y" rank "X is not Y" first.
STOPWORDS = frozenset("""
a an and are as at be but by for if in into is it of on or such that the their then there
these they this to was were will with i me my we our you your he him his she her its them
what which who whom am been being have has had having do does did doing would should could
can just so than too very s t via amp rt here about also
""".split())

# pic.twitter.com links are often glued to the previous word ("camera.#Tagpic.twitter.com/x").
_PIC = re.compile(r"pic\.twitter\.com/\S*", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|ly|co)/\S*", re.IGNORECASE)
# "— Name (@handle) January 6, 2020", the trailer of an embedded tweet; the name may hold "(...)".
_TRAILER_TAIL = re.compile(r"\(@\w{1,15}\)\s*[A-Za-z]+\.?\s+\d{1,2},\s*\d{4}\W*$")
_DASHES = ("—", "–", " - ")
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
# Split CamelCase and letter/digit boundaries inside hashtags: #IranUSA2020 -> Iran USA 2020.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")
_TOKEN = re.compile(r"[^\W_]+")

_local = threading.local()  # PyStemmer objects are not thread-safe; Flask may serve on threads.


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def _strip_trailer(text: str, keep_author: bool) -> str:
    match = _TRAILER_TAIL.search(text)
    if not match:
        return text
    head = text[: match.start()]
    cut = max(head.rfind(dash) for dash in _DASHES)
    if cut < 0 or match.start() - cut > 120:
        return head
    # For retrieval keep the author's name: fact-checks often name who said it ("Ilhan Omar
    # said ..."), which raised CheckThat! MAP@5 by ~0.03. Link scoring drops it: the same
    # text posted by two people is still a near-duplicate.
    return head[:cut] + " " + head[cut:].lstrip("—– -") if keep_author else head[:cut]


def clean_text(text: str, keep_author: bool = True) -> str:
    """Remove what tweets add around a claim (links, @handles, the trailer's handle and date,
    keeping the author's name) and split #CamelCase hashtags into words."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _strip_trailer(text.strip(), keep_author)
    text = _URL.sub(" ", _PIC.sub(" ", text))
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    return " ".join(text.split())


def is_post(text: str) -> bool:
    """Whether a text reads as a social post: a link, a @handle, a #hashtag or an embedded
    post's trailer, what clean_text removes."""
    text = text or ""
    # Each pattern needs one of these: most texts have none, and are told apart from posts
    # without the URL pattern's scan of every word (1 microsecond against 13 for a LIAR statement).
    if "@" not in text and "#" not in text and "/" not in text and "www." not in text.lower():
        return False
    return any(pattern.search(text) for pattern in (_TRAILER_TAIL, _PIC, _URL, _HANDLE, _HASHTAG))


def words(text: str, keep_author: bool = True) -> list[str]:
    """Lower-cased word tokens of the cleaned text (apostrophes joined: don't -> dont)."""
    text = _APOSTROPHE.sub("", clean_text(text, keep_author).casefold())
    return _TOKEN.findall(text)


def analyze(text: str) -> list[str]:
    """Index terms of a text: cleaned, lower-cased, stopwords removed, Snowball-stemmed.

    Deterministic across processes and platforms; the order follows the text (repeats kept,
    so term frequencies can be counted).
    """
    return list(_analyzed(text))


# A new claim is analysed when stored, indexed and linked: remember a batch's worth.
@lru_cache(maxsize=4096)
def _analyzed(text: str) -> tuple[str, ...]:
    kept = [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return tuple(_stemmer().stemWords(kept))


def term_weights(terms: Iterable[str], avgdl: float, k1: float = K1, b: float = B) -> dict[str, float]:
    """BM25 term-frequency component per distinct term, stored with the claim.

    weight = tf*(k1+1) / (tf + k1*(1 - b + b*dl/avgdl)); the claim's score for a query is
    SUM(idf(term) * weight). avgdl may be stale (the value when the claim was stored);
    0 or less means "no corpus yet" and uses the claim's own length.
    """
    counts = Counter(terms)
    dl = sum(counts.values())
    if not dl:
        return {}
    norm = k1 * (1.0 - b + b * dl / (avgdl if avgdl > 0 else dl))
    return {term: tf * (k1 + 1.0) / (tf + norm) for term, tf in counts.items()}


def idf(df: int, n: int) -> float:
    """BM25 inverse document frequency (Lucene's form, never negative)."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))
