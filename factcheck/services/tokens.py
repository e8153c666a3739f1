"""API tokens: created once, stored as a hash, checked on every write."""
import hashlib
import secrets

from sqlalchemy import select

from factcheck.errors import Forbidden, Invalid, Unauthorized
from factcheck.extensions import db
from factcheck.models import ROLES, ApiToken
from factcheck.services.uow import transaction

PREFIX = "fc_"


def _digest(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is enough; nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(name: str, role: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret, which is never stored and cannot be shown again."""
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}.", errors={"role": [f"Must be one of {', '.join(ROLES)}."]})
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction() as session:
        token = ApiToken(name=name, role=role, prefix=secret[:10], token_hash=_digest(secret))
        session.add(token)
    return token, secret


def authorize(authorization: str | None, role: str) -> ApiToken:
    """The token named by an `Authorization: Bearer ...` header, if it may act as `role`."""
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("This request needs an `Authorization: Bearer <token>` header.")
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _digest(secret.strip()), ApiToken.revoked_at.is_(None))
    ).first()
    if token is None:
        raise Unauthorized("The bearer token is unknown or revoked.")
    if not token.allows(role):
        raise Forbidden(f"This needs the {role} role; the token has the {token.role} role.")
    return token
