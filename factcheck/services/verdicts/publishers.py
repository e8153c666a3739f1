"""Who may speak for a publisher: a newsroom for its own site; others' sites are external reviews."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.errors import Forbidden, Invalid, NotFound
from factcheck.extensions import db
from factcheck.identity import name_key, site_of
from factcheck.models import Organisation, Publisher, Verdict
from factcheck.services.accounts.actors import Actor
from factcheck.services.claims.sources import normalise_site, publisher_for


@dataclass(frozen=True)
class Newsrooms:
    """The newsrooms of this instance as publishers: each one's site, and the names it signs
    with (its own, and its site's publisher's), by identity key."""

    sites: dict[str, int]
    names: dict[str, int]

    def owning_site(self, site: str) -> str | None:
        """The newsroom site that this site is, or is under (news.desk.example.org is under
        desk.example.org): the most specific one."""
        labels = normalise_site(site).split(".")
        for start in range(len(labels) - 1):
            if (candidate := ".".join(labels[start:])) in self.sites:
                return candidate
        return None

    def owner_of(self, site: str) -> int | None:
        """The newsroom whose site this is, or is under."""
        owning = self.owning_site(site)
        return None if owning is None else self.sites[owning]

    def refusal(self, publisher: dict, actor: Actor) -> str | None:
        """Why the actor may not sign or import a review by `publisher` (None when it may): a
        site a newsroom on this instance owns, and the names it signs with, are that newsroom's
        alone, whoever asks, operators included."""
        site = normalise_site(publisher["site"])
        owning = self.owning_site(site)
        owner = None if owning is None else self.sites[owning]
        if owner is not None and owner != actor.organisation_id:
            whose = "the site" if owning == site else f"under {owning}, the site"
            return f"{site} is {whose} of another newsroom on this instance: only it may publish its reviews."
        named = self.names.get(name_key(publisher.get("name") or ""))
        if named is not None and named != owner:
            return (f"{publisher['name'].strip()!r} is the name of a newsroom on this instance whose site is not "
                    f"{site}: a review by {site} is not signed with it.")
        return None

    def url_refusal(self, url: str | None, publisher_site: str) -> str | None:
        """Why a review by `publisher_site` may not have `url`: a url on a newsroom's site is
        one of that newsroom's reviews (another's would take its url from it)."""
        if not url:
            return None
        owner = self.owner_of(site_of(url))
        if owner is not None and owner != self.owner_of(publisher_site):
            return f"{url} is on the site of another newsroom on this instance: only its reviews have such urls."
        return None


def newsrooms(session: Session) -> Newsrooms:
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.site)).all()
    sites = {normalise_site(site): organisation_id for organisation_id, _, site in rows if site}
    names = {name_key(name): organisation_id for organisation_id, name, _ in rows}
    for site, name in session.execute(select(Publisher.site, Publisher.name).where(Publisher.site.in_(sites))):
        names.setdefault(name_key(name), sites[site])
    names.pop("", None)
    return Newsrooms(sites, names)


def signing_publisher(session: Session, data: dict, actor: Actor) -> Publisher:
    """The publisher of a verdict submitted through the API: a newsroom's own site; with no
    newsroom (the operator's CLI), the publisher named, which must be no newsroom's."""
    named = data.get("publisher")
    if actor.organisation_id is None:
        if not named:
            raise Invalid("Name the publisher of this review.",
                          errors={"publisher": ["Missing data for required field."]})
        publisher = named
    else:
        organisation = session.get(Organisation, actor.organisation_id)
        if not organisation.site:
            raise Forbidden(f"{organisation.name} has no site yet, so it cannot publish verdicts: an operator "
                            "must set the organisation's site first.")
        site = normalise_site(organisation.site)
        if named and normalise_site(named["site"]) != site:
            reason = f"A newsroom publishes under its own site only: {organisation.name}'s is {site}."
            raise Forbidden(reason, errors={"publisher": [reason]})
        publisher = {"name": (named or {}).get("name") or organisation.name, "site": site}
    check_signature(session, publisher, data.get("url"), actor)
    return publisher_for(session, publisher)


def check_signature(session: Session, publisher: dict, url: str | None, actor: Actor) -> None:
    """Forbidden, naming the field, when the actor may not sign a review by `publisher` at `url`."""
    rooms = newsrooms(session)
    if reason := rooms.refusal(publisher, actor):
        raise Forbidden(reason, errors={"publisher": [reason]})
    check_url(rooms, url, publisher["site"])


def check_url(rooms: Newsrooms, url: str | None, publisher_site: str) -> None:
    if reason := rooms.url_refusal(url, publisher_site):
        raise Forbidden(reason, errors={"url": [reason]})


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
