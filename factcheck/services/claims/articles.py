"""Articles posted for analysis: stored once per canonical url, their candidates decided by each newsroom."""
import logging

from sqlalchemy import select

from factcheck.articles import NoText, analyse
from factcheck.articles.worthiness import ENCODER
from factcheck.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from factcheck.extensions import db
from factcheck.identity import canonical_url
from factcheck.models import ArticleText, Candidate, CandidateDecision
from factcheck.models.types import utcnow
from factcheck.semantic import SemanticUnavailable, load_encoder
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.services.claims import records as claims
from factcheck.services.claims.sources import article_for
from factcheck.services.links import decisions as links
from factcheck.services.links.embeddings import semantic
from factcheck.settings import Settings
from factcheck.storage.uow import held_transaction, transaction


class _SharedEncoder:
    """The semantic stage's encoder through its cache, so that a candidate whose claim is its
    sentence as printed is not encoded again to be matched."""

    def __init__(self, stage):
        self.stage = stage

    def encode(self, texts):
        return self.stage.encode(texts, query=True)


def _encoder(settings: Settings):
    """The sentence encoder check-worthiness uses; None (its n-gram model alone) when unavailable."""
    if not settings.article_embeddings:
        return None
    if (stage := semantic()) is not None and stage.model == ENCODER:
        return _SharedEncoder(stage)
    try:
        return load_encoder(ENCODER, settings.semantic_threads, settings.semantic_precision)
    except SemanticUnavailable:
        logging.getLogger(__name__).warning("Sentence embeddings unavailable: check-worthiness by n-grams alone")
        return None


def _analysis(data: dict, settings: Settings):
    given, limit = ("text", settings.article_max_chars) if "text" in data else ("html", settings.article_max_html_chars)
    if len(data[given]) > limit:
        raise TooLarge(f"The article's {given} is {len(data[given])} characters; at most {limit} are analysed.")
    try:
        analysis = analyse(data.get("text"), data.get("html"), encoder=_encoder(settings))
    except NoText as error:
        raise Invalid(str(error), errors={given: [str(error)]}) from error
    if len(analysis.text) > settings.article_max_chars:
        raise TooLarge(f"The article's text is {len(analysis.text)} characters; at most "
                       f"{settings.article_max_chars} are analysed.")
    return analysis


def store_article(data: dict, settings: Settings, actor: Actor = SYSTEM) -> tuple[int, bool]:
    """Analyse an article and store it with its candidates: (its id, True) when new; (its id,
    False) when its url was posted before, which this updates (a new text replaces its
    candidates, and the decisions made on them)."""
    analysis = _analysis(data, settings)  # outside the transaction: no lock held while the CPU works
    with transaction() as session:
        article = article_for(session, {**data, "url": canonical_url(data["url"])})
        for field in ("title", "published_at"):
            if data.get(field) is not None:
                setattr(article, field, data[field])
        stored = session.get(ArticleText, article.id, with_for_update={"of": ArticleText})
        before = audit.snapshot(stored) if stored else None
        if stored is None:
            stored = ArticleText(article_id=article.id, text=analysis.text, candidates=[])
            session.add(stored)
        else:
            stored.updates, stored.updated_at = stored.updates + 1, utcnow()
        if stored.text != analysis.text or not stored.candidates:
            stored.text = analysis.text
            stored.candidates = [Candidate(position=n, **c.as_dict()) for n, c in enumerate(analysis.candidates)]
        stored.language, stored.scorer, stored.attributed = analysis.language, analysis.scorer, analysis.attributed
        audit.record(session, actor, "article.updated" if before else "article.posted", stored, before=before)
        return article.id, before is None


def get_article(article_id: int, actor: Actor | None, settings: Settings, *, ask: bool = False) -> dict:
    """The article with its candidates, their matches and the caller's newsroom's decisions.
    `ask`: the matches count as asks about what they find first (as POST /claims/match does)."""
    stored = _stored(article_id)
    decisions = {}
    if actor is not None and actor.organisation_id is not None:
        decisions = {d.candidate_id: d for d in stored_decisions(stored, actor.organisation_id)}
    # All candidates matched together: one batch through the encoder, one pass over the vectors.
    matches = (links.check_many if ask else links.match_many)([c.claim for c in stored.candidates],
                                                              settings.article_matches)
    article = stored.article
    return {
        "id": article.id, "url": article.url, "outlet": article.outlet, "title": article.title,
        "published_at": article.published_at, "language": stored.language, "attributed": stored.attributed,
        "checkworthiness_model": stored.scorer, "text": stored.text, "posted_at": stored.posted_at,
        "updated_at": stored.updated_at,
        "candidates": [_candidate(c, decisions.get(c.id), found) for c, found in zip(stored.candidates, matches)],
    }


def get_candidate(candidate_id: int, actor: Actor, settings: Settings) -> dict:
    """A candidate with its matches and the actor's newsroom's decision."""
    candidate = db.session.get(Candidate, candidate_id)
    decision = db.session.scalars(select(CandidateDecision).filter_by(
        candidate_id=candidate_id, organisation_id=actor.organisation_id)).first()
    return _candidate(candidate, decision, links.match(candidate.claim, settings.article_matches))


def _candidate(c: Candidate, decision: CandidateDecision | None, matches: list[dict]) -> dict:
    return {"id": c.id, "position": c.position, "sentence": c.sentence, "start": c.start, "end": c.end,
            "claim": c.claim, "quote": c.quote, "claimant": c.claimant, "stance": c.stance,
            "checkworthiness": c.checkworthiness, "matches": matches, "decision": decision}


def _stored(article_id: int) -> ArticleText:
    stored = db.session.get(ArticleText, article_id)
    if stored is None:
        raise NotFound(f"No article has id {article_id}.")
    return stored


def stored_decisions(stored: ArticleText, organisation_id: int) -> list[CandidateDecision]:
    ids = [c.id for c in stored.candidates]
    return list(db.session.scalars(select(CandidateDecision).where(
        CandidateDecision.candidate_id.in_(ids), CandidateDecision.organisation_id == organisation_id)))


def _appearance(candidate: Candidate) -> dict:
    article = candidate.article_text.article
    return {"url": article.url, "outlet": {"name": article.outlet.name, "domain": article.outlet.domain},
            "title": article.title, "published_at": article.published_at,
            "quote": candidate.quote or candidate.sentence, "stance": candidate.stance,
            "claimant": {"name": candidate.claimant} if candidate.claimant else None}


def decide(article_id: int, candidate_id: int, data: dict, actor: Actor) -> tuple[CandidateDecision, bool]:
    """Record the actor's newsroom's decision on a candidate: accepting makes it a claim with
    this appearance (or adds the appearance to `claim_id`). (decision, True) when made now;
    (the decision, False) when the newsroom had made this one already; a different one: 409."""
    if actor.organisation_id is None:
        raise Forbidden("Decisions on candidates are a newsroom's: use a token of one.")
    with held_transaction() as session:
        candidate = session.get(Candidate, candidate_id, with_for_update={"of": Candidate})
        if candidate is None or candidate.article_id != article_id:
            raise NotFound(f"Article {article_id} has no candidate {candidate_id}.")
        found = session.scalars(select(CandidateDecision).filter_by(
            candidate_id=candidate_id, organisation_id=actor.organisation_id)).first()
        if found is not None:
            same = found.decision == data["decision"] and data.get("claim_id") in (None, found.claim_id)
            if not same:
                raise Conflict(f"Your newsroom {found.decision} this candidate already"
                               + (f" (claim {found.claim_id})." if found.claim_id else "."))
            return found, False
        claim_id = _accept(candidate, data, actor) if data["decision"] == "accepted" else None
        decision = CandidateDecision(candidate_id=candidate_id, organisation_id=actor.organisation_id,
                                     decision=data["decision"], claim_id=claim_id, decided_by_id=actor.user_id)
        session.add(decision)
        audit.record(session, actor, f"candidate.{data['decision']}", decision, claim_id=claim_id,
                     private_to=None if claim_id else actor.organisation_id)
        return decision, True


def _accept(candidate: Candidate, data: dict, actor: Actor) -> int:
    appearance = _appearance(candidate)
    if data.get("claim_id") is not None:
        try:
            claims.add_appearance(data["claim_id"], appearance, actor)
        except NotFound as error:
            raise Invalid(error.detail, errors={"claim_id": [error.detail]}) from error
        return data["claim_id"]
    language = candidate.article_text.language
    return claims.record_claim({"text": candidate.claim, "claimant": appearance["claimant"],
                                "language": language if candidate.article_text.attributed else None,
                                "appearances": [appearance]}, actor)[0]
