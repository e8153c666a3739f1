"""Who may speak for a publisher: a newsroom for its own site; others' sites are external reviews."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.errors import Forbidden, Invalid, NotFound
from factcheck.extensions import db
from factcheck.models import Organisation, Publisher, Verdict
from factcheck.services.actors import Actor
from factcheck.services.sources import normalise_site, publisher_for


def site_owners(session: Session) -> dict[str, int]:
    """Each newsroom's site, normalised, and the organisation that owns it."""
    rows = session.execute(select(Organisation.id, Organisation.site).where(Organisation.site.is_not(None)))
    return {normalise_site(site): organisation_id for organisation_id, site in rows}


def refusal(site: str, owners: dict[str, int], actor: Actor) -> str | None:
    """Why the actor may not sign or import a review by `site` (None when it may): a site a
    newsroom on this instance owns is that newsroom's alone, whoever asks, operators included."""
    owner = owners.get(normalise_site(site))
    if owner is None or owner == actor.organisation_id:
        return None
    return f"{normalise_site(site)} is the site of another newsroom on this instance: only it may publish its reviews."


def signing_publisher(session: Session, data: dict, actor: Actor) -> Publisher:
    """The publisher of a verdict submitted through the API: a newsroom's own site; with no
    newsroom (the operator's CLI), the publisher named, which must be no newsroom's."""
    named = data.get("publisher")
    if actor.organisation_id is None:
        if not named:
            raise Invalid("Name the publisher of this review.",
                          errors={"publisher": ["Missing data for required field."]})
        if reason := refusal(named["site"], site_owners(session), actor):
            raise Forbidden(reason, errors={"publisher": [reason]})
        return publisher_for(session, named)
    organisation = session.get(Organisation, actor.organisation_id)
    if not organisation.site:
        raise Forbidden(f"{organisation.name} has no site yet, so it cannot publish verdicts: an operator "
                        "must set the organisation's site first.")
    site = normalise_site(organisation.site)
    if named and normalise_site(named["site"]) != site:
        reason = f"A newsroom publishes under its own site only: {organisation.name}'s is {site}."
        raise Forbidden(reason, errors={"publisher": [reason]})
    return publisher_for(session, {"name": (named or {}).get("name") or organisation.name, "site": site})


def may_change(verdict: Verdict, actor: Actor) -> bool:
    """A newsroom's verdict is its newsroom's to change; an external review an operator's."""
    if verdict.organisation_id is not None:
        return verdict.organisation_id == actor.organisation_id
    return actor.is_operator


def may_reimport(verdict: Verdict, actor: Actor) -> bool:
    """An import may change a stored review that the actor may change, or that it imported."""
    importer = verdict.organisation_id is None and verdict.imported and actor.organisation_id is not None
    return (importer and verdict.imported_by_id == actor.organisation_id) or may_change(verdict, actor)


def importing_as(organisation: str) -> Actor:
    """The CLI importing as a newsroom would through the API: its own site's reviews are its
    verdicts, others' are external reviews it imported (and may re-import)."""
    found = db.session.scalars(select(Organisation).where(Organisation.name == organisation)).first()
    if found is None:
        raise NotFound(f"No organisation is called {organisation!r}.")
    return Actor(user_id=None, token_id=None, organisation_id=found.id, role="editor",
                 name=f"import for {found.name}")
