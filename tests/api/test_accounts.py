"""The admin API: organisations, users and tokens; tokens shown once, revoked, expiring (issue 4)."""
import json

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEntry
from tests.api.helpers import CLAIMS, assert_problem, create_claim, if_match
from tests.api.newsrooms import ORGANISATIONS, TOKENS, create_organisation
from tests.conftest import bearer

USERS = "/api/v1/users"


def _user(client, admin_auth, organisation_id: int, name: str = "Ada", role: str = "factchecker") -> dict:
    response = client.post(f"{ORGANISATIONS}/{organisation_id}/users", json={"name": name, "role": role},
                           headers=admin_auth)
    assert response.status_code == 201, response.json
    return response.json


def _token(client, admin_auth, user_id: int, **fields) -> dict:
    response = client.post(f"{USERS}/{user_id}/tokens", json={"name": "laptop", **fields}, headers=admin_auth)
    assert response.status_code == 201, response.json
    return response.json


def _issued(client, admin_auth, role: str = "factchecker", **fields) -> tuple[dict, dict]:
    """A token issued through the admin API, and the headers that use its secret."""
    organisation = create_organisation(client, admin_auth, f"Desk of a {role}", "desk.example.org")
    user = _user(client, admin_auth, organisation["id"], role=role)
    token = _token(client, admin_auth, user["id"], **fields)
    return token, {"Authorization": f"Bearer {token['secret']}"}


# --- organisations ---

def test_admin_creates_and_lists_organisations(client, admin_auth):
    created = create_organisation(client, admin_auth, "Full Fact", "fullfact.org")
    assert created["name"] == "Full Fact" and created["site"] == "fullfact.org"
    assert isinstance(created["id"], int) and created["created_at"]
    siteless = create_organisation(client, admin_auth, "Night desk")
    assert siteless["site"] is None

    listed = client.get(ORGANISATIONS, headers=admin_auth)
    assert listed.status_code == 200
    names = [o["name"] for o in listed.json["items"]]
    assert {"Full Fact", "Night desk"} <= set(names)
    assert created in listed.json["items"]


def test_duplicate_organisation_name_is_409(client, admin_auth):
    create_organisation(client, admin_auth, "Full Fact", "fullfact.org")
    before = client.get(ORGANISATIONS, headers=admin_auth).json["items"]
    assert_problem(client.post(ORGANISATIONS, json={"name": "Full Fact"}, headers=admin_auth), 409)
    assert client.get(ORGANISATIONS, headers=admin_auth).json["items"] == before


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "X", "site": "not a site"}, "site"),
    ({"name": "X", "id": 5}, "id"),
    ({"name": "X", "colour": "red"}, "colour"),
])
def test_invalid_organisation_is_422(client, admin_auth, body, field):
    assert_problem(client.post(ORGANISATIONS, json=body, headers=admin_auth), 422, field)


# --- users ---

def test_admin_adds_users_with_roles(client, admin_auth):
    organisation = create_organisation(client, admin_auth, "Full Fact", "fullfact.org")
    ada = _user(client, admin_auth, organisation["id"], "Ada", "editor")
    assert (ada["name"], ada["role"], ada["organisation_id"]) == ("Ada", "editor", organisation["id"])
    _user(client, admin_auth, organisation["id"], "Bo", "reader")

    listed = client.get(f"{ORGANISATIONS}/{organisation['id']}/users", headers=admin_auth)
    assert listed.status_code == 200
    assert sorted(u["name"] for u in listed.json["items"]) == ["Ada", "Bo"]


@pytest.mark.parametrize("body, field", [
    ({"name": "Ada"}, "role"),
    ({"name": "Ada", "role": "owner"}, "role"),
    ({"role": "reader"}, "name"),
    ({"name": "Ada", "role": "reader", "organisation_id": 1}, "organisation_id"),
])
def test_invalid_user_is_422(client, admin_auth, body, field):
    organisation = create_organisation(client, admin_auth, "Full Fact")
    response = client.post(f"{ORGANISATIONS}/{organisation['id']}/users", json=body, headers=admin_auth)
    assert_problem(response, 422, field)


def test_a_users_role_is_what_its_tokens_may_do(client, admin_auth):
    _, reader = _issued(client, admin_auth, "reader")
    assert_problem(client.post(CLAIMS, json={"text": "A claim."}, headers=reader), 403)
    _, editor = _issued(client, admin_auth, "editor")
    assert client.post(CLAIMS, json={"text": "A claim."}, headers=editor).status_code == 201


# --- tokens ---

def test_a_new_tokens_secret_is_shown_once_and_works(client, admin_auth):
    token, headers = _issued(client, admin_auth)
    secret = token["secret"]
    assert secret.startswith("fc_") and len(secret) > 30
    assert token["prefix"] == secret[:len(token["prefix"])] and len(token["prefix"]) < len(secret)
    assert token["revoked_at"] is None and token["expires_at"] is None and token["last_used_at"] is None

    assert client.post(CLAIMS, json={"text": "A claim."}, headers=headers).status_code == 201

    shown = client.get(f"{TOKENS}/{token['id']}", headers=admin_auth)
    assert shown.status_code == 200
    assert "secret" not in shown.json and "token_hash" not in shown.json
    assert shown.json["last_used_at"] is not None
    assert {k: v for k, v in shown.json.items() if k != "last_used_at"} == {
        k: v for k, v in token.items() if k not in ("secret", "last_used_at")}


def test_no_response_shows_a_secret_or_a_hash(client, admin_auth):
    token, headers = _issued(client, admin_auth)
    create_claim(client, headers)
    stored_hash = db.session.get(ApiToken, token["id"]).token_hash
    responses = [
        client.get(TOKENS, headers=admin_auth),
        client.get(f"{TOKENS}/{token['id']}", headers=admin_auth),
        client.get(f"{ORGANISATIONS}", headers=admin_auth),
        client.get("/api/v1/audit", headers=admin_auth, query_string={"limit": 100}),
        client.get(f"{CLAIMS}/1/history", query_string={"limit": 100}),
    ]
    for response in responses:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert token["secret"] not in text and stored_hash not in text
        assert "token_hash" not in text
    listed = responses[0].json["items"]
    assert token["id"] in [t["id"] for t in listed]
    assert all("secret" not in t and "token_hash" not in t for t in listed)


def test_token_for_unknown_user_is_404(client, admin_auth):
    assert_problem(client.post(f"{USERS}/9999/tokens", json={"name": "x"}, headers=admin_auth), 404)


def test_a_token_past_its_expiry_is_401(client, admin_auth):
    _, expired = _issued(client, admin_auth, expires_at="2020-01-01T00:00:00Z")
    response = client.post(CLAIMS, json={"text": "A claim."}, headers=expired)
    assert_problem(response, 401)
    assert "WWW-Authenticate" in response.headers
    assert client.get(CLAIMS).json["items"] == []


def test_a_token_before_its_expiry_works(client, admin_auth):
    token, headers = _issued(client, admin_auth, expires_at="2999-01-01T00:00:00Z")
    assert token["expires_at"].startswith("2999-01-01T00:00:00")
    assert client.post(CLAIMS, json={"text": "A claim."}, headers=headers).status_code == 201


def test_revoked_token_is_401(client, admin_auth):
    token, headers = _issued(client, admin_auth)
    assert client.post(CLAIMS, json={"text": "Before."}, headers=headers).status_code == 201

    url = f"{TOKENS}/{token['id']}"
    response = client.delete(url, headers=if_match(client, url, admin_auth))
    assert response.status_code == 200, response.json
    assert response.json["revoked_at"] is not None
    assert response.headers["ETag"] == f'"{response.json["version"]}"'
    assert response.json["version"] == token["version"] + 1

    assert_problem(client.post(CLAIMS, json={"text": "After."}, headers=headers), 401)
    # Reads that look at the token (to show its newsroom's drafts) refuse it too.
    assert_problem(client.get("/api/v1/verdicts/1", headers=headers), 401)
    assert client.get(f"{TOKENS}/{token['id']}", headers=admin_auth).json["revoked_at"] is not None
    assert [c["text"] for c in client.get(CLAIMS).json["items"]] == ["Before."]


def test_revoking_needs_if_match(client, admin_auth):
    token, headers = _issued(client, admin_auth)
    url = f"{TOKENS}/{token['id']}"
    assert_problem(client.delete(url, headers=admin_auth), 428)
    assert_problem(client.delete(url, headers={**admin_auth, "If-Match": '"99"'}), 412)
    assert_problem(client.delete(url, headers={**admin_auth, "If-Match": "yesterday"}), 412)
    assert client.get(url, headers=admin_auth).json["revoked_at"] is None
    assert client.post(CLAIMS, json={"text": "Still works."}, headers=headers).status_code == 201


def test_revoking_with_a_stale_etag_is_412(client, admin_auth):
    token, _ = _issued(client, admin_auth)
    url = f"{TOKENS}/{token['id']}"
    stale = if_match(client, url, admin_auth)
    assert client.delete(url, headers=if_match(client, url, admin_auth)).status_code == 200
    assert_problem(client.delete(url, headers=stale), 412)


@pytest.mark.parametrize("method, url", [
    ("get", f"{TOKENS}/9999"), ("delete", f"{TOKENS}/9999"),
    ("get", f"{ORGANISATIONS}/9999/users"), ("post", f"{ORGANISATIONS}/9999/users"),
    ("post", f"{USERS}/9999/tokens"),
])
def test_unknown_ids_are_404(client, admin_auth, method, url):
    body = {"name": "Ada", "role": "reader"} if url.endswith("/users") else {"name": "x"}
    kwargs = {"json": body} if method == "post" else {}
    response = getattr(client, method)(url, headers={**admin_auth, "If-Match": '"1"'}, **kwargs)
    assert_problem(response, 404)


# --- only admins ---

ADMIN_CALLS = [
    ("get", ORGANISATIONS, None),
    ("post", ORGANISATIONS, {"name": "Rogue desk"}),
    ("get", f"{ORGANISATIONS}/{{organisation}}/users", None),
    ("post", f"{ORGANISATIONS}/{{organisation}}/users", {"name": "Mallory", "role": "admin"}),
    ("post", f"{USERS}/{{user}}/tokens", {"name": "stolen"}),
    ("get", TOKENS, None),
    ("get", f"{TOKENS}/{{token}}", None),
    ("delete", f"{TOKENS}/{{token}}", None),
]


@pytest.mark.parametrize("role", ["reader", "factchecker", "editor"])
def test_admin_endpoints_are_403_for_other_roles(client, admin_auth, role):
    token, _ = _issued(client, admin_auth)
    ids = {"organisation": 1, "user": token["user_id"], "token": token["id"]}
    other = bearer(role, "Desk of a factchecker")
    before = (client.get(TOKENS, headers=admin_auth).json, client.get(ORGANISATIONS, headers=admin_auth).json)
    for method, url, body in ADMIN_CALLS:
        headers = {**other, "If-Match": f'"{token["version"]}"'}
        response = getattr(client, method)(url.format(**ids), headers=headers, **({"json": body} if body else {}))
        assert_problem(response, 403)
    after = (client.get(TOKENS, headers=admin_auth).json, client.get(ORGANISATIONS, headers=admin_auth).json)
    assert [t["revoked_at"] for t in after[0]["items"]] == [t["revoked_at"] for t in before[0]["items"]]
    assert after[1] == before[1]


def test_admin_endpoints_are_401_without_a_token(client, admin_auth):
    token, _ = _issued(client, admin_auth)
    ids = {"organisation": 1, "user": token["user_id"], "token": token["id"]}
    for method, url, body in ADMIN_CALLS:
        response = getattr(client, method)(url.format(**ids), **({"json": body} if body else {}))
        assert_problem(response, 401)


# --- the CLI still makes tokens, in an organisation ---

def test_cli_token_belongs_to_the_named_organisation(app, client, admin_auth):
    organisation = create_organisation(client, admin_auth, "Full Fact", "fullfact.org")
    result = app.test_cli_runner().invoke(args=[
        "create-token", "--name", "Ada", "--role", "editor", "--organisation", "Full Fact"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {secret}"}

    claim = create_claim(client, headers)
    response = client.post(f"{CLAIMS}/{claim['id']}/verdicts", json={"rating": "False"}, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["organisation_id"] == organisation["id"]
    assert response.json["publisher"] == {"name": "Full Fact", "site": "fullfact.org"}

    users = client.get(f"{ORGANISATIONS}/{organisation['id']}/users", headers=admin_auth).json["items"]
    assert [(u["name"], u["role"]) for u in users] == [("Ada", "editor")]
    # The CLI's token is listed like any other, without its secret.
    listed = client.get(TOKENS, headers=admin_auth).json["items"]
    assert secret[:10] in [t["prefix"] for t in listed]
    assert secret not in json.dumps(listed)


def test_audit_entries_never_hold_a_token_hash(client, admin_auth):
    token, _ = _issued(client, admin_auth)
    url = f"{TOKENS}/{token['id']}"
    client.delete(url, headers=if_match(client, url, admin_auth))
    stored_hash = db.session.get(ApiToken, token["id"]).token_hash
    entries = db.session.scalars(select(AuditEntry)).all()
    assert {e.action for e in entries} >= {"organisation.created", "user.created", "token.created",
                                           "token.revoked"}
    dumped = json.dumps([[e.before, e.after] for e in entries])
    assert stored_hash not in dumped and token["secret"] not in dumped and "token_hash" not in dumped
