"""Request helpers shared by the API tests."""
from contextlib import contextmanager

from sqlalchemy import event

from factcheck.extensions import db
from factcheck.models import Organisation
from factcheck.services.claims.sources import get_or_create, normalise_site
from factcheck.storage.uow import transaction
from tests.conftest import bearer

PROBLEM_JSON = "application/problem+json"
CLAIMS = "/api/v1/claims"


def appearance(url: str = "https://www.example.com/news/1", **fields) -> dict:
    return {"url": url, **fields}


def verdict(rating: str, site: str = "politifact.com", name: str | None = None, **fields) -> dict:
    return {"publisher": {"name": name or site, "site": site}, "rating": rating, **fields}


def create_claim(client, auth, text: str = "The moon is made of cheese.", **fields) -> dict:
    response = client.post(CLAIMS, json={"text": text, **fields}, headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def respaced(text: str) -> str:
    """A copy of text that differs only in its spacing: a new claim (a claim with exactly
    the text of a stored one is that claim) that matching reads as text."""
    return text.replace(" ", "  ", 1)


def add_appearance(client, auth, claim_id: int, **fields) -> dict:
    response = client.post(f"{CLAIMS}/{claim_id}/appearances", json=appearance(**fields), headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def publisher_auth(site: str) -> dict:
    """Headers of a factchecker of the newsroom whose site is `site` (created when missing):
    only that newsroom may publish under it."""
    site = normalise_site(site)
    with transaction() as session:
        get_or_create(session, Organisation, {"name": site}).site = site
    return bearer("factchecker", site, f"{site} factchecker")


def add_verdict(client, claim_id: int, rating: str, site: str = "politifact.com", **fields) -> dict:
    """A verdict published by the newsroom whose site is `site`."""
    body = verdict(rating, site, **fields)
    response = client.post(f"{CLAIMS}/{claim_id}/verdicts", json=body, headers=publisher_auth(site))
    assert response.status_code == 201, response.json
    return response.json


def get_claim(client, claim_id: int) -> dict:
    response = client.get(f"{CLAIMS}/{claim_id}")
    assert response.status_code == 200, response.json
    return response.json


def assert_problem(response, status: int, *fields: str) -> dict:
    """An RFC 9457 problem with this status; `fields` must each have messages in `errors`."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json(force=True)
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    for field in fields:
        assert field in body.get("errors", {}), body
    return body


def walk(client, url: str, **params) -> list[dict]:
    """Every item of a keyset-paginated list, following next_cursor; checks the Link header."""
    items, cursor = [], None
    for _ in range(1000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, query_string=query)
        assert response.status_code == 200, response.json
        body = response.json
        items.extend(body["items"])
        cursor = body["next_cursor"]
        link = response.headers.get("Link")
        if cursor is None:
            assert link is None
            return items
        assert link is not None and link.endswith('>; rel="next"'), link
        assert f"cursor={cursor}" in link
    raise AssertionError("pagination never ended")


# --- near-duplicate links, groups and matching (issue 3) ---
LINKS = "/api/v1/links"
MATCH = f"{CLAIMS}/match"

# Wordings of one claim, measured with factcheck.matching.link_score against BASE_CLAIM
# under the default thresholds (suggest 70, auto 90): NEAR_COPY ~99 (confirmed), REWORDED ~79
# (suggested, never confirmed), UNRELATED ~40 (no link).
BASE_CLAIM = "The governor quietly signed a law that cuts funding for every public school across the state."
NEAR_COPY = "The governor quietly signed a law that cut funding for every public school across the state."
REWORDED = ("The governor has signed a law cutting the funding of public schools across the state, "
            "critics say.")
# Six wordings of BASE_CLAIM, each one adverb apart from every other: all auto-confirmed.
WORDINGS = [BASE_CLAIM.replace("quietly", adverb)
            for adverb in ("quietly", "secretly", "silently", "recently", "reportedly", "finally")]
UNRELATED = "Eating carrots at night improves your eyesight according to a new study from Norway."


def claim_links(client, claim_id: int, **params) -> list[dict]:
    response = client.get(f"{CLAIMS}/{claim_id}/links", query_string=params)
    assert response.status_code == 200, response.json
    return response.json["items"]


def link_between(client, a_id: int, b_id: int) -> dict | None:
    """The one link of this pair, or None; fails if the pair has several."""
    found = [link for link in claim_links(client, a_id, limit=100)
             if {link["claim"]["id"], link["other"]["id"]} == {a_id, b_id}]
    assert len(found) <= 1, found
    return found[0] if found else None


def if_match(client, url: str, auth: dict | None = None) -> dict:
    """The headers for a conditional write: the ETag the object was just read with."""
    response = client.get(url, headers=auth or {})
    assert response.status_code == 200, response.json
    return {**(auth or {}), "If-Match": response.headers["ETag"]}


def decide_link(client, auth, link_id: int, status: str) -> dict:
    url = f"{LINKS}/{link_id}"
    response = client.patch(url, json={"status": status}, headers=if_match(client, url, auth))
    assert response.status_code == 200, response.json
    return response.json


def match(client, text: str, **fields) -> list[dict]:
    response = client.post(MATCH, json={"text": text, **fields})
    assert response.status_code == 200, response.json
    return response.json["items"]


@contextmanager
def counted():
    """The statements sent while the block runs, from a fresh session (as each gunicorn
    request starts with one), so nothing is served from an identity map. BEGIN is left out:
    PostgreSQL's driver sends its own, unseen by SQLAlchemy's listeners."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement != "BEGIN":
            statements.append(statement)

    db.session.remove()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_for(client, method: str, url: str, **kwargs) -> tuple[list[str], dict]:
    with counted() as statements:
        response = client.open(url, method=method, **kwargs)
    assert response.status_code == 200, response.get_json()
    return statements, response.get_json()
