"""An article's analysis: its candidate claims with their claimant, stance and check-worthiness."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from factcheck.articles import worthiness
from factcheck.articles.attribution import Statement, finish, quote_speaker, reported
from factcheck.articles.people import People
from factcheck.articles.text import NoText, Paragraph, Sentence, clean_text, main_text, sentences
from factcheck.language import UNDETERMINED, detect

# Attribution's rules read English; other languages get sentences and scores only.
ATTRIBUTED_LANGUAGES = frozenset({"en"})
OPINION_FACTOR = 0.5


@dataclass(frozen=True)
class Candidate:
    """A claim the article makes or reports: `sentence` is text[start:end] as printed, `claim` it
    standalone (references resolved), `quote` the words quoted verbatim, if any."""

    sentence: str
    start: int
    end: int
    claim: str
    quote: str | None
    claimant: str | None  # None: the outlet states it
    stance: str  # the claimant's: asserts / denies; the outlet's: reports
    checkworthiness: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Analysis:
    text: str
    language: str
    candidates: list[Candidate]
    scorer: str  # the check-worthiness model that answered (worthiness.Scorer.score)
    attributed: bool  # whether the language's claimants and stances were read


def article_text(text: str | None = None, html: str | None = None) -> str:
    """The clean text to analyse: the text given, else the main text of the html; NoText if none."""
    text = clean_text(text if text is not None else main_text(html or ""))
    if not any(ch.isalpha() for ch in text):
        raise NoText("The article holds no text.")
    return text


def _quoted(people: People, sentence: Sentence, speaker: str | None) -> Statement:
    """A quoted sentence is its speaker's, unless it reports another's words itself."""
    inner = reported(sentence.text)
    if inner and inner[0].speaker:
        return Statement(inner[0].claim, people.resolve(inner[0].speaker), inner[0].stance, sentence.text)
    return Statement(finish(sentence.text), speaker, "asserts", sentence.text)


def _statements(people: People, paragraph: Paragraph, within: list[Sentence], quoting: str | None):
    """(sentence, statement) pairs of one paragraph, claimants resolved; and who its quotes are from."""
    found = []
    if paragraph.quotes:
        phrase = quote_speaker(paragraph.outside)
        only_quotes = not paragraph.outside.replace("…", "").strip(" ,.")
        speaker = people.resolve(phrase) if phrase else (quoting if only_quotes else None)
        for sentence in within:
            found.append((sentence, _quoted(people, sentence, speaker)))
        people.spoke(speaker)
        return found, speaker
    for sentence in within:
        statements = reported(sentence.text)
        for statement in statements:
            claimant = people.spoke(people.resolve(statement.speaker))
            found.append((sentence, Statement(statement.claim, claimant, statement.stance, statement.quote)))
        if not statements:
            found.append((sentence, Statement(finish(sentence.text), None, "reports", None)))
    return found, None


def candidates_of(text: str, language: str) -> list[Candidate]:
    """Every sentence's claims, attributed when the language is one the rules read."""
    parts, found = sentences(text, language)
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in found:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    people, quoting, result = People(text), None, []
    for number, paragraph in enumerate(parts):
        within = by_paragraph.get(number, [])
        if language in ATTRIBUTED_LANGUAGES:
            pairs, quoting = _statements(people, paragraph, within, quoting)
        else:
            pairs = [(s, Statement(s.text, None, "reports", s.text if s.quoted else None)) for s in within]
        for sentence, statement in pairs:
            claim = people.standalone(statement.claim) if language in ATTRIBUTED_LANGUAGES else statement.claim
            stance = statement.stance if statement.speaker else "reports"
            result.append(Candidate(sentence.text, sentence.start, sentence.end, claim, statement.quote,
                                    statement.speaker, stance))
    return result


def _opinion_factor(candidate: Candidate) -> float:
    """OPINION_FACTOR for a claim that puts only short phrases in the claimant's words (a
    "major mistake"): a characterisation, which debates (the model's training data) hardly show."""
    if candidate.quote is None or candidate.quote == candidate.sentence:
        return 1.0
    short = all(len(part.split()) <= 4 for part in candidate.quote.split(" … "))
    return OPINION_FACTOR if short else 1.0


def analyse(text: str | None = None, html: str | None = None, *, encoder=None,
            scorer: worthiness.Scorer | None = None) -> Analysis:
    """Analyse an article given as text or html (never fetched). `encoder` embeds sentences for
    the check-worthiness model; without one, its n-gram head alone scores them."""
    text = article_text(text, html)
    language = detect(text[:5000]) or UNDETERMINED
    found = candidates_of(text, language)
    # Sentences as printed, as the model was trained on them: a reported claim's attribution
    # ("Putin informed Netanyahu that ...") is itself a checkable fact.
    scores, model = (scorer or worthiness.scorer()).score([c.sentence for c in found], encoder)
    scored = [Candidate(**{**c.as_dict(), "checkworthiness": round(s * _opinion_factor(c), 4)})
              for c, s in zip(found, scores)]
    return Analysis(text, language, scored, model, language in ATTRIBUTED_LANGUAGES)


__all__ = ["Analysis", "Candidate", "NoText", "analyse", "article_text"]
