"""Typed SQLAlchemy models; importing this module registers them all."""
from factcheck.models.articles import DECISIONS, ArticleText, Candidate, CandidateDecision
from factcheck.models.auth import NEWSROOM_ROLES, ROLES, ApiToken, ConsoleSession, Organisation, User
from factcheck.models.claims import (
    CONTEST_REASONS,
    STANCES,
    STATUSES,
    VERDICT_STATUSES,
    Appearance,
    Claim,
    Publisher,
    Verdict,
)
from factcheck.models.links import (
    LINK_STATUSES,
    ClaimLink,
    ClaimTerm,
    MatchStats,
    MatchTerm,
    PendingLink,
    StoredLinkDecision,
)
from factcheck.models.records import AuditEntry, IdempotencyKey, RateCounter
from factcheck.models.sources import Article, Claimant, Outlet
from factcheck.models.vectors import ClaimVector
from factcheck.models.webhooks import DELIVERY_STATUSES, WEBHOOK_EVENTS, Webhook, WebhookDelivery

__all__ = [
    "CONTEST_REASONS", "DECISIONS", "DELIVERY_STATUSES", "LINK_STATUSES", "NEWSROOM_ROLES", "ROLES", "STANCES", "STATUSES",
    "VERDICT_STATUSES", "WEBHOOK_EVENTS",
    "ApiToken", "Appearance", "Article", "ArticleText", "AuditEntry", "Candidate", "CandidateDecision", "Claim",
    "ClaimLink", "ClaimTerm", "ClaimVector", "Claimant", "ConsoleSession",
    "IdempotencyKey", "MatchStats", "MatchTerm", "Organisation", "Outlet", "PendingLink", "Publisher",
    "RateCounter", "StoredLinkDecision",
    "User", "Verdict", "Webhook", "WebhookDelivery",
]
