"""Typed SQLAlchemy models; importing this module registers them all."""
from factcheck.models.auth import ROLES, ApiToken
from factcheck.models.claims import CONTEST_REASONS, STANCES, STATUSES, Appearance, Claim, Publisher, Verdict
from factcheck.models.links import LINK_STATUSES, ClaimLink, ClaimTerm, MatchStats, MatchTerm
from factcheck.models.sources import Article, Claimant, Outlet

__all__ = [
    "CONTEST_REASONS", "LINK_STATUSES", "ROLES", "STANCES", "STATUSES", "ApiToken", "Appearance", "Article", "Claim", "ClaimLink", "ClaimTerm", "Claimant", "MatchStats", "MatchTerm",
    "Outlet", "Publisher", "Verdict",
]
