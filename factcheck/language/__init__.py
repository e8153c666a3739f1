"""A claim's language: the tag a client or publisher gave, normalised, else detected from the text."""
from factcheck.language.identify import UNDETERMINED, detect
from factcheck.language.tags import normalise_tag

__all__ = ["LANGUAGE_SOURCES", "UNDETERMINED", "claim_language", "detect", "normalise_tag"]

# How a claim's language was found; "unknown" for claims stored before it was recorded,
# when a language not sent was stored as "en".
LANGUAGE_SOURCES = ("given", "detected", "unknown")


def claim_language(given: str | None, text: str) -> tuple[str, str]:
    """(BCP 47 tag, source): the given tag when it is one, else the language detected in the text."""
    tag = normalise_tag(given) if given else None
    if tag is not None:
        return tag, "given"
    return detect(text), "detected"
