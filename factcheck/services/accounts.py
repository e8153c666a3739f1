"""Admin use cases: organisations, their users, and the users' tokens."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from factcheck.errors import Conflict, NotFound, PreconditionFailed, check_version
from factcheck.extensions import db
from factcheck.models import ApiToken, Organisation, User
from factcheck.models.types import utcnow
from factcheck.pagination import Page
from factcheck.services import audit
from factcheck.services.actors import Actor
from factcheck.services.paging import newest_first
from factcheck.services.tokens import issue_token
from factcheck.services.uow import transaction


def _get(model, object_id: int, what: str):
    found = db.session.get(model, object_id)
    if found is None:
        raise NotFound(f"No {what} has id {object_id}.")
    return found


def create_organisation(data: dict, actor: Actor) -> Organisation:
    with transaction() as session:
        if session.scalars(select(Organisation.id).where(Organisation.name == data["name"])).first():
            raise Conflict(f"An organisation is already called {data['name']!r}.")
        organisation = Organisation(name=data["name"], site=data.get("site"))
        session.add(organisation)
        audit.record(session, actor, "organisation.created", organisation)
    return organisation


def list_organisations(args: dict) -> Page[Organisation]:
    return newest_first(select(Organisation), Organisation.id, args)


def create_user(organisation_id: int, data: dict, actor: Actor) -> User:
    with transaction() as session:
        _get(Organisation, organisation_id, "organisation")
        user = User(organisation_id=organisation_id, name=data["name"], role=data["role"])
        session.add(user)
        audit.record(session, actor, "user.created", user)
    return user


def list_users(organisation_id: int, args: dict) -> Page[User]:
    _get(Organisation, organisation_id, "organisation")
    return newest_first(select(User).where(User.organisation_id == organisation_id), User.id, args)


def create_user_token(user_id: int, data: dict, actor: Actor) -> tuple[ApiToken, str]:
    expires_at: datetime | None = data.get("expires_at")
    with transaction() as session:
        user = _get(User, user_id, "user")
        token, secret = issue_token(user, data["name"], expires_at)
        audit.record(session, actor, "token.created", token)
    return token, secret


def list_tokens(args: dict) -> Page[ApiToken]:
    return newest_first(select(ApiToken), ApiToken.id, args)


def get_token(token_id: int) -> ApiToken:
    return _get(ApiToken, token_id, "token")


def revoke_token(token_id: int, actor: Actor, expected_version: int | None) -> ApiToken:
    with transaction() as session:
        token = _get(ApiToken, token_id, "token")
        check_version("token", token.version, expected_version)
        before = audit.snapshot(token)
        token.revoked_at = token.revoked_at or utcnow()
        # An UPDATE even when it was revoked already, so the stored version is checked and moved on.
        flag_modified(token, "revoked_at")
        try:
            session.flush()
        except StaleDataError as error:
            raise PreconditionFailed("The token changed since it was read; read it again.") from error
        audit.record(session, actor, "token.revoked", token, before=before)
    return token


def revoke_token_by_prefix(prefix: str, actor: Actor) -> ApiToken:
    """For the operator's CLI: the prefix must name exactly one token."""
    found = db.session.scalars(select(ApiToken).where(ApiToken.prefix == prefix)).all()
    if len(found) != 1:
        raise NotFound(f"{len(found)} tokens have the prefix {prefix!r}; give its first 10 characters.")
    return revoke_token(found[0].id, actor, found[0].version)
