"""Accounts: operators make newsrooms with their sites; a newsroom's admin makes its users and
their tokens; tokens are shown once, revoked, expiring (issue 4; scopes: test_newsroom_scopes)."""
import json

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ApiToken, AuditEntry, Organisation
from tests.api.helpers import CLAIMS, assert_problem, create_claim, if_match
from tests.api.newsrooms import ORGANISATIONS, TOKENS, create_organisation
from tests.conftest import bearer

USERS = "/api/v1/users"


@pytest.fixture
def desk(client, operator_auth) -> tuple[dict, dict]:
    """A newsroom an operator made, and the headers of its admin."""
    organisation = create_organisation(client, operator_auth, "Full Fact", "fullfact.org")
    return organisation, bearer("admin", "Full Fact", "Full Fact admin")


def _user(client, admin: dict, organisation_id: int, name: str = "Ada", role: str = "factchecker") -> dict:
    response = client.post(f"{ORGANISATIONS}/{organisation_id}/users", json={"name": name, "role": role},
                           headers=admin)
    assert response.status_code == 201, response.json
    return response.json


def _token(client, admin: dict, user_id: int, **fields) -> dict:
    response = client.post(f"{USERS}/{user_id}/tokens", json={"name": "laptop", **fields}, headers=admin)
    assert response.status_code == 201, response.json
    return response.json


def _issued(client, desk, role: str = "factchecker", **fields) -> tuple[dict, dict]:
    """A token the newsroom's admin issued through the API, and the headers that use its secret."""
    organisation, admin = desk
    user = _user(client, admin, organisation["id"], role=role)
    token = _token(client, admin, user["id"], **fields)
    return token, {"Authorization": f"Bearer {token['secret']}"}


# --- organisations: operators make them, each with a site of its own ---

def test_an_operator_creates_and_lists_organisations(client, operator_auth):
    created = client.post(ORGANISATIONS, json={"name": "Full Fact", "site": "https://www.FullFact.org/"},
                          headers=operator_auth)
    assert created.status_code == 201, created.json
    assert (created.json["name"], created.json["site"]) == ("Full Fact", "fullfact.org")
    assert created.headers["ETag"] == f'"{created.json["version"]}"'
    idn = create_organisation(client, operator_auth, "Bücherprüfer", "XN--BCHER-KVA.example")
    assert idn["site"] == "xn--bcher-kva.example"

    listed = client.get(ORGANISATIONS, headers=operator_auth)
    assert listed.status_code == 200
    assert {"Full Fact", "Bücherprüfer", "Instance operators"} == {o["name"] for o in listed.json["items"]}
    assert created.json in listed.json["items"]
    shown = client.get(f"{ORGANISATIONS}/{created.json['id']}", headers=operator_auth)
    assert shown.json == created.json and shown.headers["ETag"] == created.headers["ETag"]


@pytest.mark.parametrize("body, field", [
    ({"name": "Full Fact", "site": "other.example.org"}, "name"),
    ({"name": "Full Fact 2", "site": "fullfact.org"}, "site"),
    ({"name": "Full Fact 2", "site": "WWW.FULLFACT.ORG"}, "site"),
    ({"name": "Full Fact 2", "site": "https://www.fullfact.org/"}, "site"),
])
def test_a_taken_name_or_site_is_409(client, operator_auth, body, field):
    create_organisation(client, operator_auth, "Full Fact", "fullfact.org")
    before = client.get(ORGANISATIONS, headers=operator_auth).json["items"]
    assert_problem(client.post(ORGANISATIONS, json=body, headers=operator_auth), 409, field)
    assert client.get(ORGANISATIONS, headers=operator_auth).json["items"] == before


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "X"}, "site"),
    ({"name": "X", "site": None}, "site"),
    ({"name": "X", "site": "not a site"}, "site"),
    ({"name": "X", "site": "localhost"}, "site"),
    ({"name": "X", "site": "https://"}, "site"),
    ({"name": "X", "site": "https://x.example.org/about"}, "site"),
    ({"name": "X", "site": "www.org"}, "site"),
    ({"name": "X", "site": "x.example.org", "id": 5}, "id"),
    ({"name": "X", "site": "x.example.org", "colour": "red"}, "colour"),
])
def test_invalid_organisation_is_422(client, operator_auth, body, field):
    assert_problem(client.post(ORGANISATIONS, json=body, headers=operator_auth), 422, field)
    assert [o["name"] for o in client.get(ORGANISATIONS, headers=operator_auth).json["items"]] == [
        "Instance operators"]


def test_an_operator_sets_and_changes_a_site(client, operator_auth):
    # A newsroom made before sites were required has none, and can still be read.
    db.session.add(Organisation(name="Old desk"))
    db.session.commit()
    old = db.session.scalars(select(Organisation).where(Organisation.name == "Old desk")).one()
    url = f"{ORGANISATIONS}/{old.id}"
    assert client.get(url, headers=operator_auth).json["site"] is None

    response = client.patch(url, json={"site": "Old-Desk.example.org"}, headers=if_match(client, url, operator_auth))
    assert response.status_code == 200, response.json
    assert response.json["site"] == "old-desk.example.org"
    assert response.headers["ETag"] == f'"{response.json["version"]}"' and response.json["version"] == 2

    stale = {**operator_auth, "If-Match": '"1"'}
    assert_problem(client.patch(url, json={"site": "elsewhere.example.org"}, headers=stale), 412)
    assert_problem(client.patch(url, json={"site": "elsewhere.example.org"}, headers=operator_auth), 428)
    changed = client.patch(url, json={"site": "www.new-desk.example.org"}, headers=if_match(client, url, operator_auth))
    assert changed.json["site"] == "new-desk.example.org"

    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.before["site"], entry.after["site"]) == (
        "organisation.updated", "old-desk.example.org", "new-desk.example.org")


def test_a_site_another_newsroom_has_is_409_and_unknown_ids_404(client, operator_auth):
    create_organisation(client, operator_auth, "Full Fact", "fullfact.org")
    other = create_organisation(client, operator_auth, "Other desk", "other.example.org")
    url = f"{ORGANISATIONS}/{other['id']}"
    assert_problem(client.patch(url, json={"site": "www.fullfact.org"}, headers=if_match(client, url, operator_auth)),
                   409, "site")
    assert_problem(client.patch(url, json={"site": "not a site"}, headers=if_match(client, url, operator_auth)),
                   422, "site")
    assert_problem(client.patch(url, json={"name": "Renamed"}, headers=if_match(client, url, operator_auth)),
                   422, "name")
    assert client.get(url, headers=operator_auth).json == other
    assert_problem(client.patch(f"{ORGANISATIONS}/9999", json={"site": "x.example.org"},
                                headers={**operator_auth, "If-Match": '"1"'}), 404)


def test_admins_cannot_create_or_change_newsrooms(client, desk):
    organisation, admin = desk
    url = f"{ORGANISATIONS}/{organisation['id']}"
    assert_problem(client.post(ORGANISATIONS, json={"name": "Rogue", "site": "rogue.example.org"}, headers=admin), 403)
    assert_problem(client.patch(url, json={"site": "rogue.example.org"}, headers=if_match(client, url, admin)), 403)
    assert client.get(url, headers=admin).json == organisation
    # An admin's list of organisations is its own newsroom.
    assert client.get(ORGANISATIONS, headers=admin).json["items"] == [organisation]


# --- users ---

def test_an_admin_adds_users_with_roles(client, desk):
    organisation, admin = desk
    ada = _user(client, admin, organisation["id"], "Ada", "editor")
    assert (ada["name"], ada["role"], ada["organisation_id"]) == ("Ada", "editor", organisation["id"])
    _user(client, admin, organisation["id"], "Bo", "admin")

    listed = client.get(f"{ORGANISATIONS}/{organisation['id']}/users", headers=admin)
    assert listed.status_code == 200
    assert sorted(u["name"] for u in listed.json["items"]) == ["Ada", "Bo", "Full Fact admin"]


@pytest.mark.parametrize("body, field", [
    ({"name": "Ada"}, "role"),
    ({"name": "Ada", "role": "owner"}, "role"),
    ({"name": "Ada", "role": "operator"}, "role"),
    ({"role": "reader"}, "name"),
    ({"name": "Ada", "role": "reader", "organisation_id": 1}, "organisation_id"),
])
@pytest.mark.parametrize("who", ["admin", "operator"])
def test_invalid_user_is_422(client, desk, operator_auth, body, field, who):
    organisation, admin = desk
    headers = admin if who == "admin" else operator_auth
    response = client.post(f"{ORGANISATIONS}/{organisation['id']}/users", json=body, headers=headers)
    assert_problem(response, 422, field)
    assert [u["name"] for u in client.get(f"{ORGANISATIONS}/{organisation['id']}/users", headers=admin).json[
        "items"]] == ["Full Fact admin"]


def test_a_users_role_is_what_its_tokens_may_do(client, desk):
    _, reader = _issued(client, desk, "reader")
    assert_problem(client.post(CLAIMS, json={"text": "A claim."}, headers=reader), 403)
    _, editor = _issued(client, desk, "editor")
    assert client.post(CLAIMS, json={"text": "A claim."}, headers=editor).status_code == 201


# --- tokens ---

def test_a_new_tokens_secret_is_shown_once_and_works(client, desk):
    _, admin = desk
    token, headers = _issued(client, desk)
    secret = token["secret"]
    assert secret.startswith("fc_") and len(secret) > 30
    assert token["prefix"] == secret[:len(token["prefix"])] and len(token["prefix"]) < len(secret)
    assert token["revoked_at"] is None and token["expires_at"] is None and token["last_used_at"] is None

    assert client.post(CLAIMS, json={"text": "A claim."}, headers=headers).status_code == 201

    shown = client.get(f"{TOKENS}/{token['id']}", headers=admin)
    assert shown.status_code == 200
    assert "secret" not in shown.json and "token_hash" not in shown.json
    assert shown.json["last_used_at"] is not None
    assert {k: v for k, v in shown.json.items() if k != "last_used_at"} == {
        k: v for k, v in token.items() if k not in ("secret", "last_used_at")}


def test_no_response_shows_a_secret_or_a_hash(client, desk, operator_auth):
    _, admin = desk
    token, headers = _issued(client, desk)
    create_claim(client, headers)
    stored_hash = db.session.get(ApiToken, token["id"]).token_hash
    responses = [
        client.get(TOKENS, headers=admin),
        client.get(TOKENS, headers=operator_auth),
        client.get(f"{TOKENS}/{token['id']}", headers=admin),
        client.get(f"{ORGANISATIONS}", headers=admin),
        client.get("/api/v1/audit", headers=admin, query_string={"limit": 100}),
        client.get("/api/v1/audit", headers=operator_auth, query_string={"limit": 100}),
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


def test_a_token_past_its_expiry_is_401(client, desk):
    _, expired = _issued(client, desk, expires_at="2020-01-01T00:00:00Z")
    response = client.post(CLAIMS, json={"text": "A claim."}, headers=expired)
    assert_problem(response, 401)
    assert "WWW-Authenticate" in response.headers
    assert client.get(CLAIMS).json["items"] == []


def test_a_token_before_its_expiry_works(client, desk):
    token, headers = _issued(client, desk, expires_at="2999-01-01T00:00:00Z")
    assert token["expires_at"].startswith("2999-01-01T00:00:00")
    assert client.post(CLAIMS, json={"text": "A claim."}, headers=headers).status_code == 201


def test_revoked_token_is_401(client, desk):
    _, admin = desk
    token, headers = _issued(client, desk)
    assert client.post(CLAIMS, json={"text": "Before."}, headers=headers).status_code == 201

    url = f"{TOKENS}/{token['id']}"
    response = client.delete(url, headers=if_match(client, url, admin))
    assert response.status_code == 200, response.json
    assert response.json["revoked_at"] is not None
    assert response.headers["ETag"] == f'"{response.json["version"]}"'
    assert response.json["version"] == token["version"] + 1

    assert_problem(client.post(CLAIMS, json={"text": "After."}, headers=headers), 401)
    # Reads that look at the token (to show its newsroom's drafts) refuse it too.
    assert_problem(client.get("/api/v1/verdicts/1", headers=headers), 401)
    assert client.get(f"{TOKENS}/{token['id']}", headers=admin).json["revoked_at"] is not None
    assert [c["text"] for c in client.get(CLAIMS).json["items"]] == ["Before."]


def test_revoking_needs_if_match(client, desk):
    _, admin = desk
    token, headers = _issued(client, desk)
    url = f"{TOKENS}/{token['id']}"
    assert_problem(client.delete(url, headers=admin), 428)
    assert_problem(client.delete(url, headers={**admin, "If-Match": '"99"'}), 412)
    assert_problem(client.delete(url, headers={**admin, "If-Match": "yesterday"}), 412)
    assert client.get(url, headers=admin).json["revoked_at"] is None
    assert client.post(CLAIMS, json={"text": "Still works."}, headers=headers).status_code == 201


def test_revoking_with_a_stale_etag_is_412(client, desk):
    _, admin = desk
    token, _ = _issued(client, desk)
    url = f"{TOKENS}/{token['id']}"
    stale = if_match(client, url, admin)
    assert client.delete(url, headers=if_match(client, url, admin)).status_code == 200
    assert_problem(client.delete(url, headers=stale), 412)


@pytest.mark.parametrize("method, url", [
    ("get", f"{TOKENS}/9999"), ("delete", f"{TOKENS}/9999"), ("get", f"{ORGANISATIONS}/9999"),
    ("get", f"{ORGANISATIONS}/9999/users"), ("post", f"{ORGANISATIONS}/9999/users"),
    ("post", f"{USERS}/9999/tokens"),
])
def test_unknown_ids_are_404(client, operator_auth, method, url):
    body = {"name": "Ada", "role": "reader"} if url.endswith("/users") else {"name": "x"}
    kwargs = {"json": body} if method == "post" else {}
    response = getattr(client, method)(url, headers={**operator_auth, "If-Match": '"1"'}, **kwargs)
    assert_problem(response, 404)


# --- only admins ---

ADMIN_CALLS = [
    ("get", ORGANISATIONS, None),
    ("post", ORGANISATIONS, {"name": "Rogue desk", "site": "rogue.example.org"}),
    ("get", f"{ORGANISATIONS}/{{organisation}}", None),
    ("patch", f"{ORGANISATIONS}/{{organisation}}", {"site": "rogue.example.org"}),
    ("get", f"{ORGANISATIONS}/{{organisation}}/users", None),
    ("post", f"{ORGANISATIONS}/{{organisation}}/users", {"name": "Mallory", "role": "admin"}),
    ("post", f"{USERS}/{{user}}/tokens", {"name": "stolen"}),
    ("get", TOKENS, None),
    ("get", f"{TOKENS}/{{token}}", None),
    ("delete", f"{TOKENS}/{{token}}", None),
]


@pytest.mark.parametrize("role", ["reader", "factchecker", "editor"])
def test_admin_endpoints_are_403_for_other_roles(client, desk, operator_auth, role):
    organisation, _ = desk
    token, _ = _issued(client, desk)
    ids = {"organisation": organisation["id"], "user": token["user_id"], "token": token["id"]}
    other = bearer(role, organisation["name"])
    before = (client.get(TOKENS, headers=operator_auth).json, client.get(ORGANISATIONS, headers=operator_auth).json)
    for method, url, body in ADMIN_CALLS:
        headers = {**other, "If-Match": f'"{token["version"]}"'}
        response = getattr(client, method)(url.format(**ids), headers=headers, **({"json": body} if body else {}))
        assert_problem(response, 403)
    after = (client.get(TOKENS, headers=operator_auth).json, client.get(ORGANISATIONS, headers=operator_auth).json)
    assert [t["revoked_at"] for t in after[0]["items"]] == [t["revoked_at"] for t in before[0]["items"]]
    assert after[1] == before[1]


def test_admin_endpoints_are_401_without_a_token(client, desk):
    organisation, _ = desk
    token, _ = _issued(client, desk)
    ids = {"organisation": organisation["id"], "user": token["user_id"], "token": token["id"]}
    for method, url, body in ADMIN_CALLS:
        response = getattr(client, method)(url.format(**ids), **({"json": body} if body else {}))
        assert_problem(response, 401)


# --- the CLI still makes tokens, in an organisation ---

def test_cli_token_belongs_to_the_named_organisation(app, client, desk):
    organisation, admin = desk
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

    users = client.get(f"{ORGANISATIONS}/{organisation['id']}/users", headers=admin).json["items"]
    assert sorted((u["name"], u["role"]) for u in users) == [("Ada", "editor"), ("Full Fact admin", "admin")]
    # The CLI's token is listed like any other, without its secret.
    listed = client.get(TOKENS, headers=admin).json["items"]
    assert secret[:10] in [t["prefix"] for t in listed]
    assert secret not in json.dumps(listed)


def test_audit_entries_never_hold_a_token_hash(client, desk):
    _, admin = desk
    token, _ = _issued(client, desk)
    url = f"{TOKENS}/{token['id']}"
    client.delete(url, headers=if_match(client, url, admin))
    stored_hash = db.session.get(ApiToken, token["id"]).token_hash
    entries = db.session.scalars(select(AuditEntry)).all()
    assert {e.action for e in entries} >= {"organisation.created", "user.created", "token.created",
                                           "token.revoked"}
    dumped = json.dumps([[e.before, e.after] for e in entries])
    assert stored_hash not in dumped and token["secret"] not in dumped and "token_hash" not in dumped
