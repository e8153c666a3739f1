"""Newsrooms: created and given their site by operators, each seen by its own people."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from factcheck.errors import Conflict, Forbidden, Invalid, NotFound, check_version, flush_version
from factcheck.extensions import db
from factcheck.identity import is_site
from factcheck.models import Organisation, Publisher, Verdict
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.services.claims.sources import normalise_site
from factcheck.services.verdicts.publishers import newsrooms
from factcheck.storage.pages import Page
from factcheck.storage.paging import newest_first
from factcheck.storage.uow import transaction


def site_of(value: str) -> str:
    """The site's identity (sources.normalise_site), or Invalid naming `site`."""
    site = normalise_site(value)
    if not is_site(site):
        raise Invalid(f"{value!r} is not a site.", errors={"site": ["Not a site domain such as fullfact.org."]})
    return site


def _operator_only(actor: Actor, what: str) -> None:
    if not actor.is_operator:
        raise Forbidden(f"{what} is for the instance's operators.")


def _claim_site(session: Session, organisation: Organisation, site: str) -> None:
    """Give the organisation the site, unless another newsroom has it (409)."""
    owner = session.scalars(select(Organisation).where(
        Organisation.site == site, Organisation.id != organisation.id)).first()
    if owner is not None:
        raise Conflict(f"{site} is the site of {owner.name!r}.", errors={"site": ["Another newsroom's site."]})
    organisation.site = site


def _flush(session: Session) -> None:
    try:
        flush_version(session, "organisation")
    except IntegrityError as error:  # a concurrent writer took the name or the site first
        raise Conflict("Another newsroom has this name or site; read the organisations again.") from error


def _take_reviews(session: Session, organisation: Organisation, actor: Actor) -> None:
    """The reviews stored as external under the newsroom's new site (or a site under it, that
    no newsroom more specific owns) are the newsroom's from now on: nobody else may speak
    for its site, and only it may revise or withdraw what was imported in its name."""
    rooms, site = newsrooms(session), organisation.site
    under = session.execute(select(Publisher.id, Publisher.site).where(
        (Publisher.site == site) | Publisher.site.endswith(f".{site}", autoescape=True)))
    publishers = [id_ for id_, publisher_site in under if rooms.owner_of(publisher_site) == organisation.id]
    if not publishers:
        return
    taken = list(session.scalars(select(Verdict).where(
        Verdict.publisher_id.in_(publishers), Verdict.organisation_id.is_(None))))
    for verdict in taken:
        verdict.organisation_id = organisation.id
        # Its review did not change: it keeps its place in the feed (updated_at order).
        flag_modified(verdict, "updated_at")
    session.flush()
    audit.record_many(session, actor, "verdict.taken", taken)


def add_organisation(session: Session, name: str, site: str, actor: Actor = SYSTEM) -> Organisation:
    """A new newsroom in the caller's transaction (409 if the name or the site is taken)."""
    site = site_of(site)
    if session.scalars(select(Organisation.id).where(Organisation.name == name)).first():
        raise Conflict(f"An organisation is already called {name!r}.", errors={"name": ["Taken."]})
    organisation = Organisation(name=name)
    _claim_site(session, organisation, site)
    session.add(organisation)
    _flush(session)
    _take_reviews(session, organisation, actor)
    return organisation


def create_organisation(data: dict, actor: Actor) -> Organisation:
    _operator_only(actor, "Creating a newsroom")
    with transaction() as session:
        organisation = add_organisation(session, data["name"], data["site"], actor)
        audit.record(session, actor, "organisation.created", organisation)
    return organisation


def list_organisations(actor: Actor, args: dict) -> Page[Organisation]:
    """Every newsroom for an operator; the actor's own otherwise."""
    return newest_first(select(Organisation).where(actor.managed(Organisation.id)), Organisation.id, args)


def get_organisation(organisation_id: int, actor: Actor) -> Organisation:
    """The organisation, if the actor manages it: another newsroom is 404, as if absent."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not actor.manages(organisation.id):
        raise NotFound(f"No organisation has id {organisation_id}.")
    return organisation


def update_organisation(organisation_id: int, data: dict, actor: Actor,
                        expected_version: int | None) -> Organisation:
    """Give a newsroom its site or change it (operators), at the version it was read."""
    _operator_only(actor, "Changing a newsroom")
    with transaction() as session:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            raise NotFound(f"No organisation has id {organisation_id}.")
        check_version("organisation", organisation.version, expected_version)
        before = audit.snapshot(organisation)
        if "site" in data:
            _claim_site(session, organisation, site_of(data["site"]))
        # An UPDATE even when nothing changed, so the stored version is checked and moved on.
        flag_modified(organisation, "site")
        _flush(session)
        _take_reviews(session, organisation, actor)
        audit.record(session, actor, "organisation.updated", organisation, before=before)
    return organisation


def set_site_by_name(name: str, site: str, actor: Actor) -> Organisation:
    """For the operator's CLI: the newsroom by name, changed at the version stored."""
    found = db.session.scalars(select(Organisation).where(Organisation.name == name)).first()
    if found is None:
        raise NotFound(f"No organisation is called {name!r}.")
    return update_organisation(found.id, {"site": site}, actor, found.version)
