"""The language of a text, by the model that py3langid ships in its package (no download)."""
from functools import cache

# BCP 47 for "undetermined": a text with nothing to tell its language by.
UNDETERMINED = "und"


@cache
def _identifier():
    """Loaded on first use, once per process."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str:
    """The ISO 639-1 code of the text's language, or "und" when it has no letters."""
    if not any(ch.isalpha() for ch in text):
        return UNDETERMINED
    language, _ = _identifier().classify(text)
    return language
