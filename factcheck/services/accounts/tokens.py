"""API tokens: random, shown once, stored as a hash; checked, counted and rate limited."""
import hashlib
import ipaddress
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Row, select, update

from factcheck.errors import Conflict, DomainError, Forbidden, Invalid, Unauthorized
from factcheck.extensions import db
from factcheck.models import ROLES, ApiToken, Organisation, User
from factcheck.models.types import utcnow
from factcheck.services.accounts import audit, limits, organisations
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.settings import Settings
from factcheck.storage.uow import transaction

PREFIX = "fc_"
DEFAULT_ORGANISATION = "Default newsroom"
# last_used_at is written at most this often per token: a write per request would not pay.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TooManyRequests(DomainError):
    status = 429
    title = "Too Many Requests"

    def __init__(self, detail: str, window: limits.Window):
        super().__init__(detail, headers=rate_headers(window) | {"Retry-After": str(max(window.reset, 1))})


def rate_headers(window: limits.Window) -> dict:
    """RateLimit headers (IETF httpapi draft): the policy and what is left of it."""
    return {"RateLimit-Policy": f"{window.limit};w={window.seconds}",
            "RateLimit": f"limit={window.limit}, remaining={window.remaining}, reset={window.reset}"}


def _digest(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is enough; nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the user, and its secret (never stored, cannot be shown again)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=secret[:10], token_hash=_digest(secret),
                     expires_at=expires_at)
    db.session.add(token)
    return token, secret


def create_token(name: str, role: str, organisation: str = DEFAULT_ORGANISATION,
                 expires_at: datetime | None = None, site: str | None = None) -> tuple[ApiToken, str]:
    """For the CLI: a token for user `name` of `organisation`, the user created when missing;
    a missing organisation is created with `site`, which it then needs (every newsroom has one)."""
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}.", errors={"role": [f"Must be one of {', '.join(ROLES)}."]})
    with transaction() as session:
        org = session.scalars(select(Organisation).where(Organisation.name == organisation)).first()
        if org is None:
            if site is None:
                raise Invalid(f"There is no organisation {organisation!r}: give its site to create it.",
                              errors={"site": ["Required to create an organisation."]})
            org = organisations.add_organisation(session, organisation, site)
            audit.record(session, SYSTEM, "organisation.created", org)
        elif site is not None and organisations.site_of(site) != org.site:
            has = f"the site {org.site}" if org.site else "no site"
            raise Conflict(f"{organisation!r} has {has}: set it with `flask set-site`.",
                           errors={"site": [f"Not {organisation!r}'s site."]})
        user = session.scalars(select(User).where(
            User.organisation_id == org.id, User.name == name, User.role == role)).first()
        if user is None:
            user = User(organisation_id=org.id, name=name, role=role)
            session.add(user)
            audit.record(session, SYSTEM, "user.created", user)
        token, secret = issue_token(user, name, expires_at)
        audit.record(session, SYSTEM, "token.created", token)
    return token, secret


def client_of(address: str) -> str:
    """Who failed authentications are counted against: an IPv4 address, or an IPv6 /64 (what
    one subscriber is given, so one host cannot spread its guesses over it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # nothing a proxy should write: such clients share one count
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _valid_token(authorization: str | None) -> ApiToken | None:
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    token = db.session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(secret.strip()))).first()
    return token if usable(token, utcnow()) else None


def authenticate(authorization: str | None, address: str, settings: Settings) -> Actor:
    """The actor behind an `Authorization: Bearer ...` header. A valid token is accepted
    whatever its address failed before: failures are counted per client address, answered
    401 up to the limit and 429 past it, so that guessing from one address is slowed."""
    token = _valid_token(authorization)
    if token is None:
        limit = settings.auth_failures_per_minute
        failures = f"auth-failures:{client_of(address)}"
        # Past the limit nothing more is written: a flood of guesses costs the database a read each.
        window = limits.peek(failures, limit)
        if window.used >= limit:
            raise TooManyRequests("Too many failed authentications from this address; wait and retry.",
                                  window)
        limits.count(failures, limit, batch=None)
        if not authorization:
            raise Unauthorized("This request needs an `Authorization: Bearer <token>` header.")
        raise Unauthorized("The bearer token is unknown, revoked or expired.")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        with transaction() as session:
            # A plain UPDATE: bumping the token's version here would fail the admin's If-Match.
            session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                            .execution_options(synchronize_session=False))
    return actor_of(token)


def usable(token: ApiToken | Row | None, now: datetime) -> bool:
    """Neither revoked nor expired: a token, or a row of its revoked_at and expires_at."""
    return token is not None and token.revoked_at is None and not (token.expires_at and token.expires_at <= now)


def actor_of(token: ApiToken) -> Actor:
    return Actor(user_id=token.user_id, token_id=token.id, organisation_id=token.user.organisation_id,
                 role=token.user.role, name=token.user.name)


def authorize(actor: Actor, role: str, settings: Settings) -> limits.Window:
    """Check the role, then count the request against the token's rate limit."""
    if not actor.allows(role):
        raise Forbidden(f"This needs the {role} role; the token has the {actor.role} role.")
    subject = f"token:{actor.token_id}"
    window = limits.count(subject, settings.rate_limit_per_minute, settings.rate_limit_batch)
    if window.exceeded:
        raise TooManyRequests("This token has made too many requests; wait and retry.", window)
    return window
