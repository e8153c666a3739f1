"""Normalise fact-checkers' own rating labels to a 0..1 score and a coarse category."""

# How a verdict is normalised (first rule that applies wins; see normalise_rating):
#   1. A known label (RATING_TABLE) gives score and category straight from its row.
#      Numbers sent with a known label are ignored: the publisher's printed words are
#      the verdict, and taking everything from one row means score and category can
#      never contradict each other (no "score 0.8, category false").
#   2. Otherwise rating_value/best_rating/worst_rating, when all three are given and
#      best != worst: score = (value - worst) / (best - worst), clamped to [0, 1];
#      the formula also handles reversed scales (best < worst).
#   3. Otherwise a label that is just "N/M", "N out of M" or "N of M" (e.g. "4/5"),
#      read as value N on the scale worst=1 .. best=M: schema.org's default worstRating
#      is 1. M must be > 1 and 0 <= N <= M; anything else ("24/7") is not read as a rating.
#   4. Otherwise the label is unknown: category "other", score None, known False.
# With rules 2 and 3 the category comes from the score:
# >= 0.75 true, <= 0.25 false, anything in between mixed.
# The table follows the same thresholds, and the checks at import time enforce them.

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "CATEGORIES", "Normalised", "RATING_TABLE", "RatingRow", "SITE_SCALES",
    "is_false_side", "is_true_side", "normalise_rating", "scale_for_site",
]

CATEGORIES: tuple[str, ...] = ("true", "mixed", "false", "unverifiable", "other")

TRUE_AT_LEAST = 0.75
FALSE_AT_MOST = 0.25


@dataclass(frozen=True)
class Normalised:
    score: float | None
    category: str   # one of CATEGORIES
    known: bool     # True when the label (or the numbers) were recognised


class RatingRow(NamedTuple):
    scale: str
    label: str
    score: float | None
    category: str


# Score levels. 0.35 / 0.65 are "mixed, leaning false/true": Misleading or Missing
# Context is not a 50/50 verdict, but it is not an outright False either.
# Unverifiable and off-scale ("other") labels have no score.
# Labels are matched ignoring case, spaces and punctuation, so spell them as printed.
# An entry on a publisher's own scale overrides the same label on "generic".
_ROWS: tuple[tuple[str, str, float | None, str], ...] = (
    # PolitiFact Truth-O-Meter, plus the Flip-O-Meter (consistency, not truth).
    ("politifact", "True", 1.0, "true"),
    ("politifact", "Mostly True", 0.75, "true"),
    ("politifact", "Half True", 0.5, "mixed"),
    ("politifact", "Mostly False", 0.25, "false"),
    ("politifact", "Barely True", 0.25, "false"),  # pre-2011 name of Mostly False
    ("politifact", "False", 0.0, "false"),
    ("politifact", "Pants on Fire", 0.0, "false"),
    ("politifact", "Full Flop", None, "other"),
    ("politifact", "Half Flip", None, "other"),
    ("politifact", "No Flip", None, "other"),
    # Snopes. Attribution, caption, provenance and genre ratings describe where the
    # content came from rather than grading the claim, so (as in ClaimsKG) they are "other".
    ("snopes", "True", 1.0, "true"),
    ("snopes", "Mostly True", 0.75, "true"),
    ("snopes", "Mixture", 0.5, "mixed"),
    ("snopes", "Mostly False", 0.25, "false"),
    ("snopes", "False", 0.0, "false"),
    ("snopes", "Fake", 0.0, "false"),
    ("snopes", "Unproven", None, "unverifiable"),
    ("snopes", "Unfounded", None, "unverifiable"),  # "no demonstrable evidence to support it"
    ("snopes", "Research In Progress", None, "unverifiable"),
    ("snopes", "Outdated", None, "other"),
    ("snopes", "Miscaptioned", None, "other"),
    ("snopes", "Correct Attribution", None, "other"),
    ("snopes", "Misattributed", None, "other"),
    ("snopes", "Scam", None, "other"),
    ("snopes", "Legend", None, "other"),
    ("snopes", "Lost Legend", None, "other"),
    ("snopes", "Satire", None, "other"),
    ("snopes", "Labeled Satire", None, "other"),
    ("snopes", "Originated as Satire", None, "other"),
    ("snopes", "Recall", None, "other"),
    # Meta third-party fact-checking ratings, used by AFP and other Meta partners.
    ("meta", "True", 1.0, "true"),
    ("meta", "Missing Context", 0.35, "mixed"),
    ("meta", "Partly False", 0.35, "mixed"),
    ("meta", "False", 0.0, "false"),
    ("meta", "Altered", 0.0, "false"),  # manipulated media; Meta treats it like False
    ("meta", "Satire", None, "other"),
    # AAP FactCheck verdicts (plus the Somewhat/Meta labels it has also published).
    ("aap", "True", 1.0, "true"),
    ("aap", "Mostly True", 0.75, "true"),
    ("aap", "Somewhat True", 0.65, "mixed"),
    ("aap", "Mixture", 0.5, "mixed"),
    ("aap", "Somewhat False", 0.35, "mixed"),
    ("aap", "Misleading", 0.35, "mixed"),
    ("aap", "Missing Context", 0.35, "mixed"),
    ("aap", "Mostly False", 0.25, "false"),
    ("aap", "False", 0.0, "false"),
    ("aap", "Altered", 0.0, "false"),
    ("aap", "Unproven", None, "unverifiable"),
    ("aap", "Satire", None, "other"),
    # Full Fact writes free-text conclusions; these are its recurring wordings.
    ("fullfact", "Correct", 1.0, "true"),
    ("fullfact", "Not quite right", 0.35, "mixed"),
    ("fullfact", "Needs context", 0.35, "mixed"),
    ("fullfact", "Misleading", 0.35, "mixed"),
    ("fullfact", "Exaggerated", 0.35, "mixed"),
    ("fullfact", "Incorrect", 0.0, "false"),
    ("fullfact", "Inaccurate", 0.0, "false"),
    ("fullfact", "Unsupported", None, "unverifiable"),
    ("fullfact", "No evidence", None, "unverifiable"),
    # Washington Post Fact Checker: the Post itself likens One/Two/Three Pinocchios to
    # mostly true / half true / mostly false. Bottomless = a 3-4 Pinocchio claim repeated 20+ times.
    ("washingtonpost", "Geppetto Checkmark", 1.0, "true"),
    ("washingtonpost", "One Pinocchio", 0.75, "true"),
    ("washingtonpost", "Two Pinocchios", 0.5, "mixed"),
    ("washingtonpost", "Three Pinocchios", 0.25, "false"),
    ("washingtonpost", "Four Pinocchios", 0.0, "false"),
    ("washingtonpost", "Bottomless Pinocchio", 0.0, "false"),
    ("washingtonpost", "Upside-Down Pinocchio", None, "other"),  # flip-flop
    ("washingtonpost", "Verdict Pending", None, "unverifiable"),
    # LIAR dataset (Wang 2017), PolitiFact labels as spelled in the dataset.
    ("liar", "true", 1.0, "true"),
    ("liar", "mostly-true", 0.75, "true"),
    ("liar", "half-true", 0.5, "mixed"),
    ("liar", "barely-true", 0.25, "false"),
    ("liar", "false", 0.0, "false"),
    ("liar", "pants-fire", 0.0, "false"),
    # Generic wordings used by many smaller publishers.
    ("generic", "True", 1.0, "true"),
    ("generic", "Accurate", 1.0, "true"),
    ("generic", "Correct", 1.0, "true"),
    ("generic", "Mostly True", 0.75, "true"),
    ("generic", "Mostly Accurate", 0.75, "true"),
    ("generic", "Mostly Correct", 0.75, "true"),
    ("generic", "Partly True", 0.65, "mixed"),
    ("generic", "Partially True", 0.65, "mixed"),
    ("generic", "Half True", 0.5, "mixed"),
    ("generic", "Mixed", 0.5, "mixed"),
    ("generic", "Mixture", 0.5, "mixed"),
    ("generic", "Partly False", 0.35, "mixed"),
    ("generic", "Partially False", 0.35, "mixed"),
    ("generic", "Misleading", 0.35, "mixed"),
    ("generic", "Missing Context", 0.35, "mixed"),
    ("generic", "Lacks Context", 0.35, "mixed"),
    ("generic", "Needs Context", 0.35, "mixed"),
    ("generic", "Out of Context", 0.35, "mixed"),
    ("generic", "Exaggerated", 0.35, "mixed"),
    ("generic", "Exaggeration", 0.35, "mixed"),
    ("generic", "Mostly False", 0.25, "false"),
    ("generic", "Mostly Inaccurate", 0.25, "false"),
    ("generic", "Distorted", 0.25, "false"),
    ("generic", "False", 0.0, "false"),
    ("generic", "Inaccurate", 0.0, "false"),
    ("generic", "Incorrect", 0.0, "false"),
    ("generic", "Wrong", 0.0, "false"),
    ("generic", "Fake", 0.0, "false"),
    ("generic", "Hoax", 0.0, "false"),
    ("generic", "Fabricated", 0.0, "false"),
    ("generic", "Altered", 0.0, "false"),
    ("generic", "Manipulated", 0.0, "false"),
    ("generic", "Unverified", None, "unverifiable"),
    ("generic", "Unverifiable", None, "unverifiable"),
    ("generic", "Unproven", None, "unverifiable"),
    ("generic", "Unsubstantiated", None, "unverifiable"),
    ("generic", "Unsupported", None, "unverifiable"),
    ("generic", "No Evidence", None, "unverifiable"),
    ("generic", "Insufficient Evidence", None, "unverifiable"),
    ("generic", "Disputed", None, "unverifiable"),  # contested, not a grade
    ("generic", "Research In Progress", None, "unverifiable"),
    ("generic", "Too Early to Tell", None, "unverifiable"),
    ("generic", "Satire", None, "other"),
    ("generic", "Parody", None, "other"),
    ("generic", "Opinion", None, "other"),
    ("generic", "Outdated", None, "other"),
    ("generic", "Flip-Flop", None, "other"),
)

RATING_TABLE: tuple[RatingRow, ...] = tuple(RatingRow(*row) for row in _ROWS)

# Publisher domains -> scale. Subdomains match too (www.politifact.com, factcheck.afp.com).
SITE_SCALES: dict[str, str] = {
    "politifact.com": "politifact",
    "snopes.com": "snopes",
    "afp.com": "meta",
    "aap.com.au": "aap",
    "fullfact.org": "fullfact",
    "washingtonpost.com": "washingtonpost",
}

GENERIC_SCALE = "generic"


def _key(label: str) -> str:
    """Matching key: case-, whitespace- and punctuation-insensitive."""
    text = unicodedata.normalize("NFKC", label).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _category_for(score: float) -> str:
    if score >= TRUE_AT_LEAST:
        return "true"
    if score <= FALSE_AT_MOST:
        return "false"
    return "mixed"


def _build_index(rows: tuple[RatingRow, ...]) -> dict[str, dict[str, RatingRow]]:
    """key -> {scale: row}, in table order. Rejects bad rows so a table edit fails loudly."""
    index: dict[str, dict[str, RatingRow]] = {}
    for row in rows:
        if row.score is None:
            if row.category not in ("unverifiable", "other"):
                raise ValueError(f"unscored row must be unverifiable/other: {row}")
        elif not 0.0 <= row.score <= 1.0 or _category_for(row.score) != row.category:
            raise ValueError(f"score out of range or disagrees with category: {row}")
        by_scale = index.setdefault(_key(row.label), {})
        if row.scale in by_scale:
            raise ValueError(f"duplicate label on scale {row.scale!r}: {row.label!r}")
        by_scale[row.scale] = row
    return index


_INDEX = _build_index(RATING_TABLE)


def scale_for_site(site: str | None) -> str | None:
    """The scale of a publisher given as a domain or URL, or None if not mapped."""
    if not site:
        return None
    host = site.strip().casefold().split("://")[-1].split("/")[0]
    host = host.rsplit("@", 1)[-1].split(":")[0].strip(".")
    parts = host.split(".")
    # Longest suffix first, so a more specific domain entry would win.
    for i in range(len(parts) - 1):
        scale = SITE_SCALES.get(".".join(parts[i:]))
        if scale:
            return scale
    return None


def _lookup(label: str, scale: str | None) -> RatingRow | None:
    by_scale = _INDEX.get(_key(label))
    if not by_scale:
        return None
    # Publisher's scale, then generic, then whichever scale lists it first, so
    # "Pants on Fire" or "Four Pinocchios" are still recognised without a site.
    for wanted in (scale, GENERIC_SCALE):
        if wanted in by_scale:
            return by_scale[wanted]
    return next(iter(by_scale.values()))


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _scaled(value: float | None, best: float | None, worst: float | None) -> float | None:
    if value is None or best is None or worst is None or best == worst:
        return None
    return min(1.0, max(0.0, (value - worst) / (best - worst)))


_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/|out\s+of|of)\s*(\d+(?:\.\d+)?)\s*$", re.I)


def _score_from_fraction_label(label: str) -> float | None:
    match = _FRACTION.match(label)
    if not match:
        return None
    value, best = float(match.group(1)), float(match.group(2))
    if best <= 1 or value > best:
        return None
    return _scaled(value, best, 1.0)


def normalise_rating(rating: str, *, rating_value: float | None = None,
                     best_rating: float | None = None, worst_rating: float | None = None,
                     publisher_site: str | None = None) -> Normalised:
    """Score and category for a publisher's label; the label itself is the caller's to keep."""
    label = rating or ""
    row = _lookup(label, scale_for_site(publisher_site))
    if row is not None:
        return Normalised(row.score, row.category, True)
    score = _scaled(_number(rating_value), _number(best_rating), _number(worst_rating))
    if score is None:
        score = _score_from_fraction_label(label)
    if score is not None:
        return Normalised(score, _category_for(score), True)
    return Normalised(None, "other", False)


def is_true_side(score: float | None) -> bool:
    return score is not None and score > 0.5


def is_false_side(score: float | None) -> bool:
    return score is not None and score < 0.5
