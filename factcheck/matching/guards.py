"""What flips or changes a claim at little cost in string similarity: negations, numbers, dates, names."""
from __future__ import annotations

import re
from functools import lru_cache

from .analysis import clean_text

# A negation or a number present on one side only flips or changes the claim ("X was not
# born in Y", "12 vs 122 detainees") while costing only a few points of string similarity.
NEGATIONS = frozenset("not no never nor nobody nothing none neither cannot dont doesnt didnt isnt arent "
                      "wasnt werent wont wouldnt shouldnt couldnt cant hasnt havent hadnt".split())
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty "
                         "forty fifty sixty seventy eighty ninety hundred thousand million billion trillion "
                         "first second third fourth fifth sixth seventh eighth ninth tenth half".split())
DATE_WORDS = frozenset("january february march april may june july august september october november "
                       "december "
                       "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
                       "friday saturday sunday yesterday today tomorrow".split())
# "may" and "march" are verbs as often as months: left out.
_AMBIGUOUS_DATES = frozenset({"may", "march"})
# A capitalised word that does not open a sentence: names of people, places, bodies.
_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)(?<![\"“(])\b[A-Z][\w'’-]*")
_WORD_APOS = re.compile(r"[^\W_][\w'’-]*")


@lru_cache(maxsize=65_536)  # a stored claim is compared with many new ones
def key_tokens(prepared: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(negations, numbers, dates) among a prepared text's words."""
    tokens = prepared.split()
    numbers = frozenset(t for t in tokens if t.isdigit() or t in NUMBER_WORDS)
    dates = frozenset(t for t in tokens if t in DATE_WORDS and t not in _AMBIGUOUS_DATES)
    return frozenset(t for t in tokens if t in NEGATIONS), numbers, dates


@lru_cache(maxsize=65_536)
def names(text: str) -> frozenset[str]:
    """Lower-cased capitalised words of a raw text that do not open a sentence (a tweet's
    links, handles and trailer left out)."""
    found = (m.group(0).casefold().replace("’", "'") for m in _NAME.finditer(clean_text(text, False)))
    return frozenset(w.split("'")[0] for w in found if len(w) > 1)


@lru_cache(maxsize=65_536)
def word_set(text: str) -> frozenset[str]:
    """Lower-cased words of a raw text, as `names` splits them."""
    return frozenset(w.casefold().replace("’", "'").split("'")[0] for w in _WORD_APOS.findall(text or ""))
