"""Who says what in a sentence: the claim as a standalone clause, its claimant's phrase and stance."""
from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.articles.people import NAME, TITLES

SAY = ("said|says|told|tells|added|adds|stated|states|claimed|claims|insisted|insists|argued|argues|warned|"
       "warns|announced|announces|explained|noted|concluded|responded|replied|confirmed|confirms|alleged|"
       "alleges|maintained|maintains|asserted|declared|wrote|tweeted|informed|assured|acknowledged|admitted|"
       "predicted|promised|stressed|emphasised|emphasized|reiterated|revealed|suggested")
DENY = "denied|denies|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes"
_HAS = r"(?:has |have |had )?"
LONGEST_SENTENCE = 1000
SPEAKER = (rf"(?P<who>he|she|they|[Tt]he (?:[a-z]+ ){{0,2}}?(?:{TITLES}|office|ministry|government|military|army)"
           rf"|(?:[Tt]he )?{NAME}(?:(?:’s|'s) (?:office|ministry|government|spokesman|spokeswoman))?)")
_CHARGE = r"(?:the|this|that|these|those|such) (?:charges?|claims?|accusations?|allegations?|reports?)"
_ADVERBIAL = re.compile(r"^(?:[A-Z][A-Z .]+ [–—-] |(?:On|Last|Earlier|Later|In|By|Since) [^,]{1,30}, )+")
_RULES = [(name, re.compile(pattern)) for name, pattern in (
    ("accused", (rf"^{SPEAKER}\s+{_HAS}accused (?P<target>.+?) of (?P<act>\w+ing)\b(?P<rest>.*?)"
                 rf"(?:,?\s+but\s+(?P<then>.+))?$")),
    ("charge", rf"^{SPEAKER}\s+{_HAS}(?:{DENY}) {_CHARGE}(?:,\s*adding that (?P<more>.+))?$"),
    ("denies", rf"^{SPEAKER}\s+{_HAS}(?:{DENY})\s+(?:that\s+)?(?P<claim>.+)$"),
    ("that", (rf"^{SPEAKER}\s+{_HAS}(?:{SAY})\b(?P<object>(?:\s+(?:[A-Z][\w’'.-]*|the|him|her|them|me|us|"
              rf"reporters|journalists)){{0,4}}?)\s+that\s+(?P<claim>.+)$")),
    ("said", (rf"^{SPEAKER}\s+{_HAS}(?:said|says|claimed|claims|insisted|insists|argued|argues|stated|added|"
              rf"warned|alleged|maintained)\s+(?P<claim>.+)$")),
    ("after", rf"^(?P<claim>.+?),\s+{SPEAKER}\s+(?:{SAY})\b[^,]*$"),
    ("inverted", rf"^(?P<claim>.+?),\s+(?:{SAY})\s+{SPEAKER}\b[^,]*$"),
    ("according", rf"^(?P<claim>.+?),\s+according to {SPEAKER}$"),
    ("according_first", rf"^[Aa]ccording to {SPEAKER},\s+(?P<claim>.+)$"),
)]
_QUOTE_SPEAKERS = [re.compile(pattern) for pattern in (
    rf"…\s*,?\s*{SPEAKER}\s+(?:{SAY}|{DENY})\b", rf"…\s*,?\s*(?:{SAY})\s+{SPEAKER}\b",
    rf"^{SPEAKER}\s+{_HAS}(?:{SAY})\b[^…]{{0,60}}?[,:]?\s*…")]
_FRAGMENT = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_IRREGULAR = {"being": "was", "having": "had", "making": "made", "giving": "gave", "taking": "took",
              "sending": "sent", "hiding": "hid", "lying": "lied", "shooting": "shot", "selling": "sold",
              "telling": "told", "saying": "said", "paying": "paid", "leading": "led", "spreading": "spread",
              "putting": "put", "hitting": "hit", "running": "ran", "stealing": "stole", "building": "built"}


@dataclass(frozen=True)
class Statement:
    """A claim the sentence makes: who (a phrase to resolve, or None for the outlet) and how."""

    claim: str
    speaker: str | None
    stance: str  # asserts / denies for a speaker; reports for the outlet
    quote: str | None


def past(gerund: str) -> str:
    """"using" -> "used": good enough for the verbs accusations use."""
    return _IRREGULAR.get(gerund, gerund[:-3] + "ed")


def fragments(text: str) -> str | None:
    """The words a sentence quotes verbatim inside it ("a “major mistake”"), joined by an ellipsis."""
    found = [a or b for a, b in _FRAGMENT.findall(text)]
    return " … ".join(found) if found else None


def finish(clause: str) -> str:
    clause = clause.strip().rstrip(",;:")
    clause = clause[:1].upper() + clause[1:]
    return clause if clause[-1:] in ".!?" else clause + "."


def reported(text: str) -> list[Statement]:
    """The statements of a sentence in reported speech; empty when it attributes nothing (or is
    longer than any sentence of news: the rules' backtracking grows with its length)."""
    if len(text) > LONGEST_SENTENCE:
        return []
    body = _ADVERBIAL.sub("", " ".join(text.split())).rstrip(".")  # no-break spaces read as spaces
    quote = fragments(text)
    for name, rule in _RULES:
        match = rule.match(body)
        if match is None:
            continue
        if name == "accused":
            claim = finish(f"{match['target']} {past(match['act'])}{match['rest']}")
            found = [Statement(claim, match["who"], "asserts", quote)]
            then = _RULES[1][1].match(match["then"] or "")
            if then:
                found.append(Statement(claim, then["who"], "denies", quote))
                if then["more"]:
                    found.append(Statement(finish(then["more"]), then["who"], "asserts", None))
            return found
        if name == "charge":
            continue  # a denial of a charge made in an earlier sentence: see the caller
        stance = "denies" if name == "denies" else "asserts"
        return [Statement(finish(match["claim"]), match["who"], stance, quote)]
    return []


def quote_speaker(outside: str) -> str | None:
    """Who the paragraph's full quotes are from, as its text outside them names them."""
    outside = outside[:LONGEST_SENTENCE]
    for pattern in _QUOTE_SPEAKERS:
        if match := pattern.search(outside):
            return match["who"]
    return None
