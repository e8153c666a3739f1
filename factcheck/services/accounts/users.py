"""Admin use cases: a newsroom's users and their tokens, each newsroom's to manage alone."""
from datetime import datetime

from sqlalchemy import and_, select, true
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import flag_modified

from factcheck.errors import Forbidden, NotFound, check_version, flush_version
from factcheck.extensions import db
from factcheck.models import NEWSROOM_ROLES, ApiToken, User
from factcheck.models.types import utcnow
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import Actor
from factcheck.services.accounts.organisations import get_organisation
from factcheck.services.accounts.tokens import issue_token
from factcheck.storage.pages import Page
from factcheck.storage.paging import newest_first
from factcheck.storage.uow import transaction


def _managed_users(actor: Actor):
    """The users whose accounts the actor manages: its newsroom's (all for an operator).
    Operators belong to the instance: no newsroom admin sees or touches them."""
    if actor.is_operator:
        return true()
    return and_(actor.managed(User.organisation_id), User.role != "operator")


def _user(user_id: int, actor: Actor) -> User:
    user = db.session.scalars(select(User).where(User.id == user_id, _managed_users(actor))).first()
    if user is None:
        raise NotFound(f"No user has id {user_id}.")
    return user


def create_user(organisation_id: int, data: dict, actor: Actor) -> User:
    with transaction() as session:
        get_organisation(organisation_id, actor)
        user = User(organisation_id=organisation_id, name=data["name"], role=data["role"])
        session.add(user)
        audit.record(session, actor, "user.created", user)
    return user


def list_users(organisation_id: int, actor: Actor, args: dict) -> Page[User]:
    get_organisation(organisation_id, actor)
    query = select(User).where(User.organisation_id == organisation_id, _managed_users(actor))
    return newest_first(query, User.id, args)


def create_user_token(user_id: int, data: dict, actor: Actor) -> tuple[ApiToken, str]:
    expires_at: datetime | None = data.get("expires_at")
    with transaction() as session:
        user = _user(user_id, actor)
        if user.role not in NEWSROOM_ROLES:
            raise Forbidden("Operator tokens are issued by the command line only (flask create-token).")
        token, secret = issue_token(user, data["name"], expires_at)
        audit.record(session, actor, "token.created", token)
    return token, secret


def _tokens(actor: Actor):
    return select(ApiToken).join(ApiToken.user).options(contains_eager(ApiToken.user)).where(_managed_users(actor))


def list_tokens(actor: Actor, args: dict) -> Page[ApiToken]:
    return newest_first(_tokens(actor), ApiToken.id, args)


def get_token(token_id: int, actor: Actor) -> ApiToken:
    token = db.session.scalars(_tokens(actor).where(ApiToken.id == token_id)).first()
    if token is None:
        raise NotFound(f"No token has id {token_id}.")
    return token


def revoke_token(token_id: int, actor: Actor, expected_version: int | None) -> ApiToken:
    with transaction() as session:
        token = get_token(token_id, actor)
        check_version("token", token.version, expected_version)
        before = audit.snapshot(token)
        token.revoked_at = token.revoked_at or utcnow()
        # An UPDATE even when it was revoked already, so the stored version is checked and moved on.
        flag_modified(token, "revoked_at")
        flush_version(session, "token")
        audit.record(session, actor, "token.revoked", token, before=before)
    return token


def revoke_token_by_prefix(prefix: str, actor: Actor) -> ApiToken:
    """For the operator's CLI: the prefix must name exactly one token."""
    found = db.session.scalars(select(ApiToken).where(ApiToken.prefix == prefix)).all()
    if len(found) != 1:
        raise NotFound(f"{len(found)} tokens have the prefix {prefix!r}; give its first 10 characters.")
    return revoke_token(found[0].id, actor, found[0].version)
