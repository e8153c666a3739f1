"""BCP 47 language tags as publishers write them (`en_US`, `PT-br`, `Spanish`), in their canonical form."""
import re

# language[-extlang]-script-region-variants..., each subtag 1-8 letters or digits.
_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")

# ISO 639 codes that BCP 47 writes otherwise: the two-letter code where there is one,
# and the codes ISO 639 withdrew (Java still writes Indonesian as "in").
_PREFERRED = {
    "in": "id", "iw": "he", "ji": "yi",
    "eng": "en", "spa": "es", "por": "pt", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
    "ita": "it", "hin": "hi", "ara": "ar", "zho": "zh", "chi": "zh", "ind": "id", "ben": "bn",
    "dan": "da", "nld": "nl", "dut": "nl", "rus": "ru", "tur": "tr", "pol": "pl",
}

# Language names that markup sometimes gives instead of a tag, in English and in the language.
_NAMES = {
    "english": "en", "spanish": "es", "español": "es", "espanol": "es", "castellano": "es",
    "portuguese": "pt", "português": "pt", "portugues": "pt", "french": "fr", "français": "fr",
    "francais": "fr", "german": "de", "deutsch": "de", "italian": "it", "italiano": "it",
    "hindi": "hi", "हिन्दी": "hi", "हिंदी": "hi", "arabic": "ar", "العربية": "ar", "chinese": "zh",
    "中文": "zh", "indonesian": "id", "bahasa indonesia": "id", "bengali": "bn", "bangla": "bn",
    "বাংলা": "bn", "danish": "da", "dansk": "da", "dutch": "nl", "nederlands": "nl",
}


def _subtag(index: int, subtag: str) -> str:
    if index > 0 and len(subtag) == 4 and subtag.isalpha():
        return subtag.title()  # script: Hant, Latn
    if index > 0 and (len(subtag) == 2 and subtag.isalpha() or len(subtag) == 3 and subtag.isdigit()):
        return subtag.upper()  # region: BR, 419
    return subtag


def normalise_tag(value: str) -> str | None:
    """The canonical BCP 47 form of a language tag or name ("en_US" -> "en-US"), or None when
    the value is neither."""
    text = " ".join(value.split()).casefold()
    if text in _NAMES:
        return _NAMES[text]
    text = text.replace("_", "-")
    if len(text) > 35 or not _TAG.match(text):
        return None
    first, *rest = text.split("-")
    subtags = [_PREFERRED.get(first, first), *rest]
    return "-".join(_subtag(i, subtag) for i, subtag in enumerate(subtags))
