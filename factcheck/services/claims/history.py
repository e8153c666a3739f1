"""A claim's history as a fact-checker reads it: who by name, fields they know, the group's events."""
from sqlalchemy import or_, select, union_all

from factcheck.errors import NotFound
from factcheck.extensions import db
from factcheck.models import Article, AuditEntry, Claim, Claimant, ClaimLink, Organisation, Publisher, User
from factcheck.services.accounts.actors import Actor
from factcheck.services.accounts.audit import visible_to
from factcheck.storage.pages import Page
from factcheck.storage.paging import newest_first

# What each kind of entry shows of its object, in the fact-checkers' words; internal
# columns (derived summaries, index figures, ids of rows nobody reads) stay in the audit log.
FIELDS = {
    "claim": ("text", "claimant", "language", "removed_reason"),
    "appearance": ("url", "claimant", "quote", "stance"),
    "verdict": ("publisher", "status", "rating", "rating_value", "best_rating", "worst_rating", "score",
                "category", "explanation", "url", "review_date", "withdrawn_reason"),
    "claim_link": ("claims", "score", "status", "decided_by"),
}
# The kinds of entry in the fact-checkers' words.
ENTITIES = {"claim_link": "link"}
# The ids stored in a snapshot, and the name a person reads instead.
NAMED = {"claimant_id": ("claimant", Claimant, Claimant.name), "publisher_id": ("publisher", Publisher, Publisher.name),
         "article_id": ("url", Article, Article.url)}


def claim_history(claim_id: int, actor: Actor | None, args: dict) -> Page[dict]:
    """Every recorded change to the claim, its verdicts and appearances, and to the other
    wordings of its group and the links that join them, newest first; other newsrooms'
    drafts left out."""
    claim = db.session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"No claim has id {claim_id}.")
    members = select(Claim.id).where(Claim.group_id == claim.group_id) if claim.group_id else [claim_id]
    links = select(ClaimLink.id).where(or_(ClaimLink.claim_id == claim_id, ClaimLink.other_id == claim_id))
    # The ids first, each half through its index: one OR over the two made both engines
    # read the whole audit log, newest first, for a claim with few entries.
    of_links = select(AuditEntry.id).where(AuditEntry.entity == "claim_link", AuditEntry.entity_id.in_(links))
    ids = union_all(select(AuditEntry.id).where(AuditEntry.claim_id.in_(members)), of_links)
    query = select(AuditEntry).where(AuditEntry.id.in_(ids), visible_to(actor))
    page = newest_first(query, AuditEntry.id, args)
    return Page(readable(page.items), page.next_cursor)


def readable(entries: list[AuditEntry]) -> list[dict]:
    """The entries as a person reads them: a fixed number of queries for the names."""
    names = _names(entries)
    return [{
        "id": entry.id, "at": entry.at, "action": entry.action, "entity": ENTITIES.get(entry.entity, entry.entity),
        "entity_id": entry.entity_id, "claim_id": entry.claim_id,
        "by": _by(entry, names),
        "before": _fields(entry.entity, entry.before, names),
        "after": _fields(entry.entity, entry.after, names),
    } for entry in entries]


def _by(entry: AuditEntry, names: dict) -> dict | None:
    if entry.user_id is None and entry.organisation_id is None:
        return None  # the instance's operator (the command line) or the matching engine
    return {"user": names[User].get(entry.user_id), "newsroom": names[Organisation].get(entry.organisation_id)}


def _fields(entity: str, values: dict | None, names: dict) -> dict | None:
    if values is None:
        return None
    values = dict(values)
    for column, (field, model, _) in NAMED.items():
        if column in values:
            values[field] = names[model].get(values[column])
    if entity == "claim_link":
        values["claims"] = [values.get("claim_id"), values.get("other_id")]
    return {field: values[field] for field in FIELDS.get(entity, ()) if field in values}


def _names(entries: list[AuditEntry]) -> dict:
    """The names of every user, newsroom, claimant, publisher and article the entries name."""
    wanted: dict = {User: {e.user_id for e in entries}, Organisation: {e.organisation_id for e in entries}}
    for column, (_, model, _) in NAMED.items():
        wanted[model] = {values.get(column) for e in entries for values in (e.before, e.after) if values}
    columns = {User: User.name, Organisation: Organisation.name,
               **{model: name for _, model, name in NAMED.values()}}
    names = {}
    for model, ids in wanted.items():
        ids.discard(None)
        names[model] = dict(db.session.execute(
            select(model.id, columns[model]).where(model.id.in_(ids))).all()) if ids else {}
    return names
