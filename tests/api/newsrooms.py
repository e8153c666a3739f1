"""Two newsrooms sharing one instance, for the accounts, lifecycle and audit tests (issue 4)."""
from dataclasses import dataclass

from tests.api.helpers import CLAIMS, if_match
from tests.conftest import bearer

ADMIN = "/api/v1"
VERDICTS = "/api/v1/verdicts"
AUDIT = "/api/v1/audit"
TOKENS = "/api/v1/tokens"
ORGANISATIONS = "/api/v1/organisations"


@dataclass(frozen=True)
class Newsroom:
    id: int
    name: str
    site: str
    factchecker: dict
    editor: dict
    reader: dict


def create_organisation(client, admin_auth: dict, name: str, site: str | None = None) -> dict:
    body = {"name": name, **({"site": site} if site else {})}
    response = client.post(ORGANISATIONS, json=body, headers=admin_auth)
    assert response.status_code == 201, response.json
    return response.json


def newsroom(client, admin_auth: dict, name: str, site: str) -> Newsroom:
    """An organisation made through the admin API, and tokens of three of its people."""
    organisation = create_organisation(client, admin_auth, name, site)
    return Newsroom(id=organisation["id"], name=name, site=site,
                    factchecker=bearer("factchecker", name, f"{name} factchecker"),
                    editor=bearer("editor", name, f"{name} editor"),
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
