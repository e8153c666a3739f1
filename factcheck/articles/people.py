"""Who is named in an article: the fullest form of each name, to resolve "Peskov", "he" or "the prime minister"."""
from __future__ import annotations

import re

TITLES = ("spokesman|spokeswoman|spokesperson|minister|adviser|advisor|secretary|president|chancellor|"
          "general|chief|ambassador|envoy|leader|official|senator|governor|mayor|director|commander|"
          "premier|king|queen|prince|head|chairman|chairwoman|analyst|expert|lawmaker|prosecutor|judge")
_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w\-]*)"
NAME = rf"(?:(?:{_CAP}|(?:{TITLES}))\s+)*{_CAP}"
# Capitalised at the start of a sentence, not part of a name.
_FUNCTION_WORDS = frozenset(["a", "an", "the", "in", "on", "at", "of", "for", "since", "last", "next", "after", "before", "according", "but", "and", "or", "so", "this", "that", "these", "those", "it", "its", "we", "i", "you", "they", "he", "she", "his", "her", "our", "their", "my", "when", "while", "if", "as", "to", "by", "with", "from", "however", "meanwhile", "also", "then", "there", "here", "what", "who", "why", "how", "yesterday", "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_ORGANISATION_WORDS = frozenset(["office", "ministry", "government", "army", "military", "party", "police", "agency"])
PRONOUNS = frozenset({"he", "she", "they"})
_NAME_IN_TEXT = re.compile(rf"(?<![\w’']){NAME}")
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)(?:’s|'s)\s+(?P<thing>\w+)$")


def tidy(phrase: str) -> str:
    """A name phrase without the capitalised function words that open a sentence ("On Sunday, Putin")."""
    words = phrase.replace(",", " ").split()
    while words and words[0].lower() in _FUNCTION_WORDS:
        words.pop(0)
    return " ".join(words)


def is_person(name: str) -> bool:
    """Two or more words ending in a capitalised one, none of them an organisation's."""
    words = name.split()
    return len(words) >= 2 and words[-1][0].isupper() and not _ORGANISATION_WORDS & {w.lower() for w in words}


class People:
    """The names an article gives, each at its fullest ("Kremlin spokesman Dmitry Peskov")."""

    def __init__(self, text: str) -> None:
        self.names: list[str] = []
        for match in _NAME_IN_TEXT.finditer(text):
            name = tidy(match.group())
            if name and name not in self.names:
                self.names.append(name)
        self.last_person: str | None = None
        self.last_speaker: str | None = None

    def fullest(self, name: str) -> str:
        """The longest name given in the article that ends with this one's last word and holds all its words."""
        words = name.split()
        found = [n for n in self.names if n.split()[-1] == words[-1] and set(words) <= set(n.split())]
        return max(found, key=lambda n: (len(n.split()), -self.names.index(n)), default=name)

    def by_title(self, title: str) -> str | None:
        """The person the article first gave this title ("the prime minister")."""
        title = title.lower()
        for name in self.names:
            if title in name.lower() and is_person(name):
                return name
        return None

    def resolve(self, phrase: str | None) -> str | None:
        """The full name a speaker's phrase refers to; None when it names nobody."""
        if not phrase:
            return None
        lowered = phrase.lower()
        if lowered in {"he", "she"}:
            return self.last_person
        if lowered == "they":
            return self.last_speaker
        if lowered.startswith("the ") and phrase[4:5].islower():
            return self.by_title(phrase[4:])
        phrase = tidy(phrase)
        if not phrase:
            return None
        if possessive := _POSSESSIVE.match(phrase):
            owner = self.resolve(possessive["owner"]) or possessive["owner"]
            return f"{owner}’s {possessive['thing']}"
        return self.fullest(phrase) if phrase else None

    def spoke(self, name: str | None) -> str | None:
        """Note who spoke last ("he" refers to the last person); returns the name."""
        if name:
            self.last_speaker = name
            if is_person(name):
                self.last_person = name
        return name

    def standalone(self, clause: str) -> str:
        """The clause with "the prime minister"-style references and an opening "he"/"she" replaced
        by the name the article gives."""
        def title(match: re.Match) -> str:
            return self.by_title(match.group(2)) or match.group()
        clause = re.sub(rf"\b([Tt]he) ((?:[a-z]+ )?(?:{TITLES}))\b", title, clause)
        if self.last_person and re.match(r"(?:[Hh]e|[Ss]he)\b", clause):
            clause = self.last_person + clause[clause.index(" "):]
        return clause[:1].upper() + clause[1:]
