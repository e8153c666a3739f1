"""Claim matching: near-duplicate linking and "has this been checked?" retrieval."""
from .analysis import K1, STOPWORDS, B, analyze, clean_text, idf, term_weights, words
from .decision import FEATURES, LinkDecision, default_decision
from .engine import DenseIndex, Match, Matcher, MatcherSettings
from .index import CandidateQuery, ClaimIndex, InMemoryClaimIndex
from .scoring import (
    SCORER,
    LinkCandidate,
    Thresholds,
    conflicting,
    exhaustive_links,
    link_score,
    link_status,
    prepare,
    score_links,
    score_prepared,
)

__all__ = [
    "FEATURES",
    "K1",
    "SCORER",
    "STOPWORDS",
    "B",
    "CandidateQuery",
    "ClaimIndex",
    "DenseIndex",
    "InMemoryClaimIndex",
    "LinkCandidate",
    "LinkDecision",
    "Match",
    "Matcher",
    "MatcherSettings",
    "Thresholds",
    "analyze",
    "clean_text",
    "conflicting",
    "default_decision",
    "exhaustive_links",
    "idf",
    "link_score",
    "link_status",
    "prepare",
    "score_links",
    "score_prepared",
    "term_weights",
    "words",
]
