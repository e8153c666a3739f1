"""The settings services are handed, made once per app from its config by create_app."""
from dataclasses import dataclass, replace

from flask import Flask, current_app

from factcheck.matching import MatcherSettings, Thresholds

KEY = "factcheck.settings"  # app.extensions key


@dataclass(frozen=True)
class Settings:
    """What factcheck.config's settings mean to the services; each field documented there."""

    rate_limit_per_minute: int
    auth_failures_per_minute: int
    rate_limit_batch: int
    rate_limit_flush_seconds: float
    webhooks_allow_private: bool
    thresholds: Thresholds  # MATCH_SUGGEST_THRESHOLD, MATCH_AUTO_THRESHOLD
    matcher: MatcherSettings  # MATCH_SEMANTIC_WEIGHT, SEMANTIC_CANDIDATES
    demand_match_similarity: float
    semantic_model: str
    semantic_threads: int
    semantic_precision: str
    semantic_refresh_seconds: float
    article_max_chars: int
    article_max_html_chars: int
    article_matches: int
    article_embeddings: bool

    @classmethod
    def from_config(cls, config) -> "Settings":
        """Raises ValueError for settings that make no sense (link thresholds out of order)."""
        return cls(
            rate_limit_per_minute=config["RATE_LIMIT_PER_MINUTE"],
            auth_failures_per_minute=config["AUTH_FAILURES_PER_MINUTE"],
            rate_limit_batch=config["RATE_LIMIT_BATCH"],
            rate_limit_flush_seconds=config["RATE_LIMIT_FLUSH_SECONDS"],
            webhooks_allow_private=config["WEBHOOKS_ALLOW_PRIVATE"],
            thresholds=Thresholds(suggest=config["MATCH_SUGGEST_THRESHOLD"],
                                  auto=config["MATCH_AUTO_THRESHOLD"]),
            matcher=replace(MatcherSettings(), semantic_weight=config["MATCH_SEMANTIC_WEIGHT"],
                            dense_candidates=config["SEMANTIC_CANDIDATES"]),
            demand_match_similarity=config["DEMAND_MATCH_SIMILARITY"],
            semantic_model=config["SEMANTIC_MODEL"],
            semantic_threads=config["SEMANTIC_THREADS"],
            semantic_precision=config["SEMANTIC_PRECISION"],
            semantic_refresh_seconds=config["SEMANTIC_REFRESH_SECONDS"],
            article_max_chars=config["ARTICLE_MAX_CHARS"],
            article_max_html_chars=config["ARTICLE_MAX_HTML_CHARS"],
            article_matches=config["ARTICLE_MATCHES"],
            article_embeddings=config["ARTICLE_EMBEDDINGS"],
        )


def init_app(app: Flask) -> Settings:
    settings = app.extensions[KEY] = Settings.from_config(app.config)
    return settings


def current() -> Settings:
    """The app's settings: for routes, the console and the CLI, which hand them to services,
    and for the matching stage, which runs far from any caller (the linker, after a commit)."""
    return current_app.extensions[KEY]
