"""The verdicts of a bulk import: who may import them, and their rows until the batch inserts them."""
from dataclasses import dataclass
from types import SimpleNamespace

from factcheck.models import Publisher, Verdict
from factcheck.models.types import utcnow
from factcheck.services.accounts.actors import Actor
from factcheck.services.verdicts.publishers import Newsrooms
from factcheck.services.verdicts.reviews import normalised

# (line number, validated claim as POST /claims takes it, its validated verdicts)
Record = tuple[int, dict, list[dict]]


def permitted(records: list[Record], rooms: Newsrooms, actor: Actor,
              rejected: list[tuple[int, object]]) -> list[Record]:
    """The records whose verdicts the actor may import; the others go to `rejected`, with why."""
    allowed = []
    for record in records:
        refused = {i: reason for i, verdict in enumerate(record[2]) if (reason := _refusal(verdict, rooms, actor))}
        if refused:
            rejected.append((record[0], {"verdicts": refused}))
        else:
            allowed.append(record)
    return allowed


def _refusal(verdict: dict, rooms: Newsrooms, actor: Actor) -> dict | None:
    if reason := rooms.refusal(verdict["publisher"], actor):
        return {"publisher": [reason]}
    if reason := rooms.url_refusal(verdict.get("url"), verdict["publisher"]["site"]):
        return {"url": [reason]}
    return None


def verdict_key(site: str, rating: str, url: str | None) -> tuple:
    """What makes a verdict in a file the same as one stored: a re-import adds nothing twice."""
    return site, rating.strip().casefold(), url


def verdict_values(publisher: Publisher, data: dict, owner: int | None, actor: Actor) -> dict:
    """What submit_verdict stores, without its per-verdict lock and group refresh: the
    publisher's own newsroom's verdict (owner), else an external review the actor imported."""
    now = utcnow()
    values = {
        "publisher_id": publisher.id, "rating": data["rating"].strip(), "rating_value": data.get("rating_value"),
        "best_rating": data.get("best_rating"), "worst_rating": data.get("worst_rating"),
        "explanation": data.get("explanation"), "url": data.get("url"),
        "review_date": data.get("review_date") or now, "status": "published", "published_at": now,
        "publisher_name": (data.get("publisher") or {}).get("name") or publisher.name,
        "organisation_id": owner, "imported": True, "imported_by_id": actor.organisation_id,
    }
    return values | normalised(values, publisher.site)


@dataclass(eq=False)
class NewVerdict:
    """A verdict's column values until its batch inserts it; then the verdict stored."""

    values: dict
    stored: Verdict | None = None

    def evidence(self):
        # What summarise reads of a verdict, before it has an id.
        return SimpleNamespace(id=None, superseded_by_id=None, **self.values)


def stored_verdict(verdict: Verdict | NewVerdict) -> Verdict:
    return verdict.stored if isinstance(verdict, NewVerdict) else verdict
