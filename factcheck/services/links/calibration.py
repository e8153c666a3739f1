"""The link decision learnt from the instance's own confirmed and rejected links, kept in the database."""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from factcheck.errors import Conflict
from factcheck.extensions import db
from factcheck.matching import LinkDecision, default_decision
from factcheck.matching.calibration import bands, log_loss, refit, thresholds_for
from factcheck.matching.decision import feature_matrix
from factcheck.models import Claim, ClaimLink, StoredLinkDecision
from factcheck.models.links import ENGINE
from factcheck.storage.uow import transaction

# Fewer decisions than this (or none of one kind) teach nothing a refit should keep.
MIN_DECISIONS = 20
FOLDS = 5
_cache: dict[str, object] = {"id": None, "decision": None}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class Decided:
    """A link a person confirmed or rejected, with both claims' texts."""

    score: float
    scorer: str
    confirmed: bool
    texts: tuple[str, str]
    link_texts: tuple[str, str]


def decided_links() -> list[Decided]:
    """Links people decided (the engine's own confirmations left out), oldest first."""
    a, b = aliased(Claim), aliased(Claim)
    rows = db.session.execute(
        select(ClaimLink.score, ClaimLink.scorer, ClaimLink.status, a.text, b.text, a.link_text, b.link_text)
        .join(a, a.id == ClaimLink.claim_id).join(b, b.id == ClaimLink.other_id)
        .where(ClaimLink.status.in_(("confirmed", "rejected")), ClaimLink.decided_by.is_not(None),
               ClaimLink.decided_by != ENGINE)
        .order_by(ClaimLink.id))
    return [Decided(r[0], r[1], r[2] == "confirmed", (r[3], r[4]), (r[5], r[6])) for r in rows]


def current_decision() -> LinkDecision:
    """The newest stored decision, else the shipped one; a worker reads the newest id once per
    call and the model only when that id changed, so every worker follows a calibration."""
    with db.engine.connect() as connection:
        newest = connection.scalar(select(func.max(StoredLinkDecision.id)))
        if newest is None:
            return default_decision()
        key = (db.engine.url.render_as_string(), newest)
        with _cache_lock:
            if _cache["id"] != key:
                model = connection.scalar(select(StoredLinkDecision.model).where(StoredLinkDecision.id == newest))
                _cache.update(id=key, decision=LinkDecision.from_json(model))
            return _cache["decision"]


def report() -> dict[str, dict]:
    """Per scorer: the decided links' score bands and the thresholds they support."""
    by_scorer: dict[str, list[Decided]] = {}
    for link in decided_links():
        by_scorer.setdefault(link.scorer, []).append(link)
    out = {}
    for scorer, links in sorted(by_scorer.items()):
        scores, confirmed = [x.score for x in links], [x.confirmed for x in links]
        suggest, auto = thresholds_for(scores, confirmed)
        out[scorer] = {"decided": len(links), "bands": bands(scores, confirmed),
                       "suggest": suggest, "auto": auto}
    return out


def _figures(p: np.ndarray, y: np.ndarray, decision: LinkDecision) -> dict[str, float]:
    def pr(chosen: np.ndarray) -> tuple[float, float]:
        tp = float((chosen & (y == 1)).sum())
        return (tp / chosen.sum() if chosen.sum() else 0.0), (tp / (y == 1).sum() if y.any() else 0.0)

    (cp, cr), (sp, sr) = pr(100 * p >= decision.auto), pr(100 * p >= decision.suggest)
    return {"log_loss": log_loss(p, y), "confirmed_precision": cp, "confirmed_recall": cr,
            "suggested_precision": sp, "suggested_recall": sr}


def _features(links: list[Decided], decision: LinkDecision, precision: str) -> np.ndarray:
    from factcheck.semantic import SemanticUnavailable, load_encoder

    try:
        encoder = load_encoder(decision.encoder, precision=precision)
    except SemanticUnavailable as error:
        raise Conflict(f"Calibrating needs the semantic stage: {error}") from error
    first = encoder.encode([x.texts[0] for x in links])
    second = encoder.encode([x.texts[1] for x in links])
    cosines = np.einsum("ij,ij->i", first, second)
    return np.vstack([feature_matrix(x.link_texts[0], [x.link_texts[1]], [c], raw_query=x.texts[0],
                                     raw_candidates=[x.texts[1]]) for x, c in zip(links, cosines)])


def calibrate(prior: float = 10.0, precision: str = "auto") -> dict:
    """Refit the current decision on every decided link, starting from it, and store it;
    `precision`: the encoder's, as the app runs it (Settings.semantic_precision).

    Returns the version and figures before and after: on all decisions, and for the refit
    also on held-out folds (each fold scored by the refit on the others)."""
    links = decided_links()
    labels = np.array([x.confirmed for x in links], dtype=float)
    if len(links) < MIN_DECISIONS or labels.all() or not labels.any():
        raise Conflict(f"Calibrating needs at least {MIN_DECISIONS} links people decided, some confirmed and "
                       f"some rejected; there are {len(links)} ({int(labels.sum())} confirmed).")
    current = current_decision()
    features = _features(links, current, precision)
    folds = np.arange(len(links)) % FOLDS
    held_out = np.zeros(len(links))
    for k in range(FOLDS):
        fitted = refit(current, features[folds != k], labels[folds != k], current.version, prior)
        held_out[folds == k] = fitted.probabilities(features[folds == k])
    with transaction() as session:
        count = session.scalar(select(func.count()).select_from(StoredLinkDecision))
        version = f"{default_decision().version}+cal{count + 1}"
        after = refit(current, features, labels, version, prior)
        after = replace(after, fit={"refitted_from": current.version, "decisions": len(links),
                                    "confirmed": int(labels.sum()), "prior": prior})
        session.add(StoredLinkDecision(version=version, model=after.to_json(), decisions=len(links)))
    return {"version": after.scorer, "from": current.scorer, "decisions": len(links),
            "before": _figures(current.probabilities(features), labels, current),
            "after": _figures(after.probabilities(features), labels, after),
            "after_held_out": _figures(held_out, labels, after)}
