"""A claim's status, consensus and reasons for being contested, derived from its evidence."""
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

from factcheck.models import Appearance, Verdict
from factcheck.ratings import category_for, is_false_side, is_true_side


@dataclass(frozen=True)
class Summary:
    status: str
    consensus_category: str | None
    consensus_score: float | None
    verdicts_disagree: bool
    sources_disagree: bool
    contest_score: float | None


def latest_per_publisher(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """A publisher that re-rates a claim replaces its earlier verdict in the consensus: the
    later is the one the server recorded as published later, whatever review_date it gives."""
    latest: dict[int, Verdict] = {}
    for verdict in sorted(verdicts, key=lambda v: (v.published_at, v.id or 0)):
        latest[verdict.publisher_id] = verdict
    return list(latest.values())


def summarise(verdicts: Iterable[Verdict], appearances: Iterable[Appearance]) -> Summary:
    """Only published verdicts that no later one of their publisher replaced count."""
    latest = latest_per_publisher(
        v for v in verdicts if v.status == "published" and v.superseded_by_id is None)
    scores = [v.score for v in latest if v.score is not None]
    if scores:
        consensus_score: float | None = fmean(scores)
        consensus_category = category_for(consensus_score)
    elif latest:
        consensus_score = None
        consensus_category = Counter(v.category for v in latest).most_common(1)[0][0]
    else:
        consensus_score = consensus_category = None

    verdicts_disagree = any(map(is_true_side, scores)) and any(map(is_false_side, scores))
    stances = Counter(a.stance for a in appearances)
    sources_disagree = stances["asserts"] > 0 and stances["denies"] > 0

    # Most contested first: how far apart the verdicts are (0..1) plus how evenly the
    # sources split (0..1), so a claim contested on both counts outranks either alone.
    contest_score = None
    if verdicts_disagree or sources_disagree:
        spread = max(scores) - min(scores) if verdicts_disagree else 0.0
        balance = (min(stances["asserts"], stances["denies"]) / max(stances["asserts"], stances["denies"])
                   if sources_disagree else 0.0)
        contest_score = round(spread + balance, 6)

    if contest_score is not None:
        status = "contested"
    elif latest:
        status = "checked"
    else:
        status = "unchecked"
    return Summary(status, consensus_category, consensus_score, verdicts_disagree, sources_disagree,
                   contest_score)
