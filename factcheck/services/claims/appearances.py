"""A claim's appearances: each stored once, found or created from validated input."""
from collections.abc import Iterable

from factcheck.identity import canonical_url
from factcheck.models import Appearance, Claim
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import Actor
from factcheck.services.claims.sources import article_for, claimant_for, claimant_key


def appearance_values(session, data: dict) -> dict:
    """An appearance's attributes from validated input, its article and claimant found or created."""
    return {"article": article_for(session, data), "claimant": claimant_for(session, data.get("claimant")),
            "quote": data.get("quote"), "stance": data.get("stance", "reports")}


def build_appearance(session, data: dict) -> Appearance:
    return Appearance(**appearance_values(session, data))


def appearance_key(data: dict) -> tuple[str, str]:
    """Two appearances of a claim are one when they are in one article (see
    identity.canonical_url) and quote one claimant: an article may quote two, one asserting
    and one denying the claim. (A stored one's key is its article's url and claimant's name_key.)"""
    claimant = data.get("claimant")
    return canonical_url(data["url"]), claimant_key(claimant["name"] if claimant else None)


def distinct_appearances(appearances: Iterable[dict]) -> list[dict]:
    """Input appearances, each once (see appearance_key): the first of each is kept."""
    unique: dict[tuple[str, str], dict] = {}
    for data in appearances:
        unique.setdefault(appearance_key(data), data)
    return list(unique.values())


def appearance_on(session, claim: Claim, data: dict, actor: Actor) -> tuple[Appearance, bool]:
    """The claim's appearance that data describes (see appearance_key): (the one it has,
    False), else (a new one, True)."""
    values = appearance_values(session, data)
    claimant_id = values["claimant"].id if values["claimant"] else None
    for appearance in claim.appearances:
        if (appearance.article_id, appearance.claimant_id) == (values["article"].id, claimant_id):
            return appearance, False
    appearance = Appearance(**values)
    claim.appearances.append(appearance)
    audit.record(session, actor, "appearance.added", appearance, claim_id=claim.id)
    return appearance, True
