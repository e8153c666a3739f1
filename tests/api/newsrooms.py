"""Two newsrooms sharing one instance, for the accounts, lifecycle and audit tests (issue 4)."""
from dataclasses import dataclass

from tests.api.helpers import CLAIMS, if_match
from tests.conftest import bearer

ADMIN = "/api/v1"
VERDICTS = "/api/v1/verdicts"
AUDIT = "/api/v1/audit"
TOKENS = "/api/v1/tokens"
ORGANISATIONS = "/api/v1/organisations"
# The claim Desk A rated true (the `checked` fixture).
RATED = "The council spent twice the promised amount on the new bridge."


@dataclass(frozen=True)
class Newsroom:
    id: int
    name: str
    site: str
    admin: dict
    editor: dict
    factchecker: dict
    reader: dict


def create_organisation(client, operator_auth: dict, name: str, site: str) -> dict:
    response = client.post(ORGANISATIONS, json={"name": name, "site": site}, headers=operator_auth)
    assert response.status_code == 201, response.json
    return response.json


def newsroom(client, operator_auth: dict, name: str, site: str) -> Newsroom:
    """An organisation made through the API by an operator, and tokens of four of its people."""
    organisation = create_organisation(client, operator_auth, name, site)
    return Newsroom(id=organisation["id"], name=name, site=site,
                    admin=bearer("admin", name, f"{name} admin"),
                    editor=bearer("editor", name, f"{name} editor"),
                    factchecker=bearer("factchecker", name, f"{name} factchecker"),
                    reader=bearer("reader", name, f"{name} reader"))


def post_verdict(client, auth: dict, claim_id: int, rating: str = "False", **fields) -> dict:
    """A verdict signed by the token's own organisation (no publisher in the body)."""
    response = client.post(f"{CLAIMS}/{claim_id}/verdicts", json={"rating": rating, **fields}, headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def patch_verdict(client, auth: dict, verdict_id: int, **changes):
    """PATCH with the ETag the verdict was just read with (by the same token)."""
    url = f"{VERDICTS}/{verdict_id}"
    return client.patch(url, json=changes, headers=if_match(client, url, auth))


def audit_entries(client, auth: dict, **params) -> list[dict]:
    response = client.get(AUDIT, headers=auth, query_string={"limit": 100, **params})
    assert response.status_code == 200, response.json
    return response.json["items"]


def history(client, claim_id: int, auth: dict | None = None) -> list[dict]:
    response = client.get(f"{CLAIMS}/{claim_id}/history", headers=auth or {}, query_string={"limit": 100})
    assert response.status_code == 200, response.json
    return response.json["items"]
