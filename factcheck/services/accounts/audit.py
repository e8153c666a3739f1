"""The audit trail: every write, who made it, and the object before and after."""
from datetime import date, datetime
from functools import cache

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session

from factcheck.errors import Forbidden
from factcheck.models import ApiToken, AuditEntry, Organisation
from factcheck.models.types import utcnow
from factcheck.services.accounts.actors import Actor
from factcheck.storage.pages import Page
from factcheck.storage.paging import newest_first

# Never copied into the trail, which editors read.
SECRET_COLUMNS = frozenset({"token_hash"})


@cache
def _recorded(model: type) -> tuple[str, ...]:
    return tuple(a.key for a in inspect(model).column_attrs if a.key not in SECRET_COLUMNS)


def snapshot(obj) -> dict:
    """The object's columns as JSON-ready values (secrets left out)."""
    values = {}
    for key in _recorded(type(obj)):
        value = getattr(obj, key)
        values[key] = value.isoformat() if isinstance(value, datetime | date) else value
    return values


def _newsroom(actor: Actor, obj) -> int | None:
    """The newsroom whose audit log shows the write: the actor's. An operator acts for the
    instance, whichever newsroom its user is filed under: its writes show in that newsroom's
    log only when they concern that newsroom (a verdict it signs, one of its users or tokens),
    and are the operators' alone otherwise (another newsroom's accounts, claims, imports)."""
    if not actor.is_operator or actor.organisation_id is None:
        return actor.organisation_id
    if isinstance(obj, Organisation):
        concerns = obj.id
    elif isinstance(obj, ApiToken):
        concerns = obj.user.organisation_id
    else:
        concerns = getattr(obj, "organisation_id", None)
    return actor.organisation_id if concerns == actor.organisation_id else None


def record(session: Session, actor: Actor, action: str, obj, *, before: dict | None = None,
           claim_id: int | None = None, private_to: int | None = None) -> None:
    """Add an entry to the write's own transaction: no write without its trace."""
    session.flush()
    session.add(AuditEntry(
        user_id=actor.user_id, token_id=actor.token_id, organisation_id=_newsroom(actor, obj),
        action=action, entity=inspect(obj).mapper.class_.__tablename__.removesuffix("s"),
        entity_id=obj.id, claim_id=claim_id, before=before, after=snapshot(obj), private_to=private_to,
    ))


def record_many(session: Session, actor: Actor, action: str, objects: list) -> None:
    """Entries for a bulk write, in one statement (an import writes thousands of claims)."""
    if not objects:
        return
    session.flush()
    entity = inspect(objects[0]).mapper.class_.__tablename__.removesuffix("s")
    session.execute(AuditEntry.__table__.insert(), [
        {"at": utcnow(), "user_id": actor.user_id, "token_id": actor.token_id,
         "organisation_id": _newsroom(actor, obj), "action": action, "entity": entity,
         "entity_id": obj.id, "claim_id": getattr(obj, "claim_id", obj.id), "after": snapshot(obj)}
        for obj in objects
    ])


def audit_log(actor: Actor, args: dict) -> Page[AuditEntry]:
    """Editors and admins read the entries of their newsroom's writes; operators read every
    entry; nobody reads another newsroom's drafts."""
    if not actor.allows("editor"):
        raise Forbidden("The audit log is for editors and admins.")
    query = select(AuditEntry).where(visible_to(actor), actor.managed(AuditEntry.organisation_id))
    return newest_first(query, AuditEntry.id, args)


def visible_to(actor: Actor | None):
    """Entries that show a verdict never published belong to its newsroom alone, whoever asks."""
    visible = AuditEntry.private_to.is_(None)
    if actor is not None and actor.organisation_id is not None:
        visible = or_(visible, AuditEntry.private_to == actor.organisation_id)
    return visible
