"""Every setting, read from the environment in one place."""
import os
from pathlib import Path


def _number(name: str, default: float, kind: type, what: str):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"{name} must be {what}, not {value!r}.") from None


def _float(name: str, default: float) -> float:
    return _number(name, default, float, "a number")


def _int(name: str, default: int) -> int:
    return _number(name, default, int, "a whole number")


API_DESCRIPTION = """\
A claim tracker for fact-checking newsrooms: claims with the outlets that printed them and
the claimants who made them, verdicts as each publisher labels them (normalised to a score
from 0, false, to 1, true), near-duplicate wordings linked across outlets, and the claims
that verdicts or sources dispute.

- **Has this been checked?** `POST /api/v1/claims/match` with any text.
- **What is disputed?** `GET /api/v1/claims/contested`.
- **What needs a person?** `GET /api/v1/links`: the suggested links, most similar first.

Reads need no token. Writes need `Authorization: Bearer <token>` (`flask create-token`);
a token's role (reader < factchecker < editor < admin of its newsroom; operator of the
instance) says what it may write, and a newsroom's drafts are seen by that newsroom only.
Lists are keyset pages (`limit`, `cursor`, `Link: rel="next"`); changes take `If-Match`;
POSTs take `Idempotency-Key`; errors are `application/problem+json`. Fact-checkers who
prefer a browser: `/console/`.
"""


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class Config:
    """Defaults suit a developer's machine; production sets DATABASE_URL and friends."""

    PROJECT_DIR = Path(__file__).resolve().parent.parent
    INSTANCE_DIR = Path(os.environ.get("FACTCHECK_INSTANCE_DIR", PROJECT_DIR / "instance"))
    MIGRATIONS_DIR = PROJECT_DIR / "migrations"
    SEED_FILE = PROJECT_DIR / "seeds" / "il20.json"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'factcheck.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 30_000)

    # Flask signs the console's session cookie with it, and the console derives its CSRF
    # tokens from it; unset, one is generated and kept in the instance folder
    # (factcheck.console.secret), so every worker and restart shares it.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # A console session ends this long after its sign-in, in the database (console_sessions)
    # and in the cookie; sooner when signed out, or when its token is revoked or expires.
    PERMANENT_SESSION_LIFETIME = _int("CONSOLE_SESSION_HOURS", 12) * 3600
    SESSION_COOKIE_SAMESITE = "Lax"
    # The cookie is written when it changes (signing in, a form's message), not on every request.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_NAME = "factcheck_console"

    API_TITLE = "factcheck"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    API_SPEC_OPTIONS = {"info": {"description": API_DESCRIPTION}}
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    # Served from the swagger-ui-bundle package so the docs page works offline.
    OPENAPI_SWAGGER_UI_URL = "/api/v1/docs/assets/"

    # Requests per minute per token, and failed authentications per minute per client address.
    RATE_LIMIT_PER_MINUTE = _int("RATE_LIMIT_PER_MINUTE", 600)
    AUTH_FAILURES_PER_MINUTE = _int("AUTH_FAILURES_PER_MINUTE", 30)
    # How many reverse proxies in front of the app append to X-Forwarded-For. The client's
    # address is the one the outermost of them saw; with 0 the header is ignored (anyone can write it).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # Webhooks may reach loopback, private and link-local receivers (an on-premise install);
    # otherwise only public addresses, checked at registration and at each delivery.
    WEBHOOKS_ALLOW_PRIVATE = _flag("WEBHOOKS_ALLOW_PRIVATE")
    # A worker holds up to this many of a token's requests before adding them to the shared
    # count (after a response), or this many seconds; within a batch of the limit it adds
    # each at once. So a token gets at most (workers - 1) x batch requests over its limit.
    RATE_LIMIT_BATCH = _int("RATE_LIMIT_BATCH", 20)
    RATE_LIMIT_FLUSH_SECONDS = _float("RATE_LIMIT_FLUSH_SECONDS", 1.0)

    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 1024 * 1024)
    # POST /claimreviews/import: each review is its own transaction, and all of them must be
    # done within the worker's timeout (GUNICORN_TIMEOUT); larger files go through the CLI.
    API_IMPORT_MAX_ITEMS = _int("API_IMPORT_MAX_ITEMS", 250)
    API_IMPORT_MAX_BYTES = _int("API_IMPORT_MAX_BYTES", 512 * 1024)
    # Near-duplicate linking thresholds (0-100), measured by bench/tune_matching.py:
    # precision 0.99-1.00 from 70 up on CheckThat!; LIAR pairs below 90 were often different claims.
    MATCH_SUGGEST_THRESHOLD = _float("MATCH_SUGGEST_THRESHOLD", 70.0)
    MATCH_AUTO_THRESHOLD = _float("MATCH_AUTO_THRESHOLD", 90.0)
    # A match answer counts as an ask about its first claim (demand) when the two texts' words
    # are at least this alike (rapidfuzz token_sort_ratio, 0-100): BM25's share of its ceiling
    # stayed the same for a copy of a claim and for one word of it in a small store.
    DEMAND_MATCH_SIMILARITY = _float("DEMAND_MATCH_SIMILARITY", 60.0)

    # The semantic stage: the sentence model claims are embedded with (factcheck.semantic.MODELS),
    # or "off" to match by words alone (as when its packages are missing).
    SEMANTIC_MODEL = os.environ.get("SEMANTIC_MODEL", "all-MiniLM-L6-v2")
    # Share of the cosine in "has this been checked?" ranking (bench/eval_checkthat.py).
    MATCH_SEMANTIC_WEIGHT = _float("MATCH_SEMANTIC_WEIGHT", 0.8)
    # Claims the dense stage adds to the words' candidates, for a match and for a new claim's links.
    SEMANTIC_CANDIDATES = _int("SEMANTIC_CANDIDATES", 50)
    # A worker takes in the vectors other workers stored at most this long after they commit.
    SEMANTIC_REFRESH_SECONDS = _float("SEMANTIC_REFRESH_SECONDS", 1.0)
    # torch's and numpy's BLAS threads per process: one per gunicorn worker (factcheck.semantic.load_encoder).
    SEMANTIC_THREADS = _int("SEMANTIC_THREADS", 1)
    # The arithmetic the model runs in: "auto" (bfloat16 where the CPU has it natively, else
    # float32), "float32" or "bfloat16" (factcheck.semantic.encoders).
    SEMANTIC_PRECISION = os.environ.get("SEMANTIC_PRECISION", "auto")

    # POST /api/v1/articles: the longest article analysed in the request (characters of its
    # text, and of its html), 413 beyond; matches shown per candidate; whether check-worthiness
    # may use sentence embeddings (off: its n-gram model alone, faster and a little less accurate).
    ARTICLE_MAX_CHARS = _int("ARTICLE_MAX_CHARS", 60_000)
    ARTICLE_MAX_HTML_CHARS = _int("ARTICLE_MAX_HTML_CHARS", 1_000_000)
    ARTICLE_MATCHES = _int("ARTICLE_MATCHES", 3)
    ARTICLE_EMBEDDINGS = os.environ.get("ARTICLE_EMBEDDINGS", "1") != "0"
