"""An admin manages its own newsroom's users, tokens, webhooks and audit log, and nothing of
another's (404, as if absent); operators, whom only the command line makes, see and manage
every newsroom (issue 15)."""
import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ApiToken, Webhook
from tests.api.helpers import CLAIMS, assert_problem, create_claim, if_match
from tests.api.newsrooms import AUDIT, ORGANISATIONS, TOKENS, VERDICTS, audit_entries, post_verdict
from tests.api.receivers import WEBHOOKS, register

USERS = "/api/v1/users"
HOOK = "http://93.184.215.14/hooks/{}"  # public, so registration accepts it; nothing is delivered


def _token_of(headers: dict) -> ApiToken:
    db.session.remove()
    secret = headers["Authorization"].split(" ", 1)[1]
    return db.session.scalars(select(ApiToken).where(ApiToken.prefix == secret[:10])).one()


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


@pytest.fixture
def desks(client, newsrooms):
    """Each newsroom with a webhook, a delivery queued for it, a draft and an admin's write."""
    hooks = {}
    for desk in newsrooms:
        hooks[desk.id] = register(client, desk.admin, HOOK.format(desk.id), description=desk.name)
        client.post(f"{ORGANISATIONS}/{desk.id}/users", json={"name": f"{desk.name} intern", "role": "reader"},
                    headers=desk.admin)
    claim = create_claim(client, newsrooms[0].factchecker)
    post_verdict(client, newsrooms[0].factchecker, claim["id"], "False")  # a delivery for each webhook
    drafts = {desk.id: post_verdict(client, desk.factchecker, claim["id"], "True", status="draft")
              for desk in newsrooms}
    return newsrooms, hooks, drafts


def _own_and_other(desks):
    (a, b), hooks, _ = desks
    return [(a, b, hooks[a.id], hooks[b.id]), (b, a, hooks[b.id], hooks[a.id])]


def test_an_admin_reads_its_own_newsroom_only(client, desks):
    for own, other, own_hook, other_hook in _own_and_other(desks):
        admin = own.admin
        assert [o["name"] for o in client.get(ORGANISATIONS, headers=admin).json["items"]] == [own.name]
        assert client.get(f"{ORGANISATIONS}/{own.id}", headers=admin).json["site"] == own.site
        users = client.get(f"{ORGANISATIONS}/{own.id}/users", headers=admin, query_string={"limit": 100}).json
        assert {u["organisation_id"] for u in users["items"]} == {own.id} and len(users["items"]) == 5

        tokens = client.get(TOKENS, headers=admin, query_string={"limit": 100}).json["items"]
        assert {t["user_id"] for t in tokens} == {u["id"] for u in users["items"]} - {
            u["id"] for u in users["items"] if u["name"].endswith("intern")}
        assert _ids(client.get(WEBHOOKS, headers=admin)) == {own_hook["id"]}
        assert client.get(f"{WEBHOOKS}/{own_hook['id']}", headers=admin).json["organisation_id"] == own.id
        assert len(client.get(f"{WEBHOOKS}/{own_hook['id']}/deliveries", headers=admin).json["items"]) == 1
        assert {e["organisation_id"] for e in audit_entries(client, admin)} == {own.id}

        other_token = _token_of(other.factchecker).id
        for url in (f"{ORGANISATIONS}/{other.id}", f"{ORGANISATIONS}/{other.id}/users", f"{TOKENS}/{other_token}",
                    f"{WEBHOOKS}/{other_hook['id']}", f"{WEBHOOKS}/{other_hook['id']}/deliveries"):
            body = assert_problem(client.get(url, headers=admin), 404)
            assert other.name not in body["detail"]


def test_an_admin_changes_nothing_of_another_newsroom(client, desks, operator_auth):
    for own, other, _, other_hook in _own_and_other(desks):
        admin = own.admin
        other_user = _token_of(other.factchecker).user_id
        other_token = _token_of(other.factchecker).id
        before = (_ids(client.get(f"{ORGANISATIONS}/{other.id}/users", headers=operator_auth)),
                  _ids(client.get(TOKENS, headers=operator_auth, query_string={"limit": 100})),
                  _ids(client.get(WEBHOOKS, headers=operator_auth)))
        stale_ok = {**admin, "If-Match": '"1"'}

        assert_problem(client.post(f"{ORGANISATIONS}/{other.id}/users", json={"name": "Mallory", "role": "admin"},
                                   headers=admin), 404)
        assert_problem(client.post(f"{USERS}/{other_user}/tokens", json={"name": "stolen"}, headers=admin), 404)
        assert_problem(client.delete(f"{TOKENS}/{other_token}", headers=stale_ok), 404)
        assert_problem(client.delete(f"{WEBHOOKS}/{other_hook['id']}", headers=stale_ok), 404)
        assert_problem(client.patch(f"{ORGANISATIONS}/{other.id}", json={"site": "stolen.example.org"},
                                    headers=stale_ok), 403)
        assert_problem(client.post(ORGANISATIONS, json={"name": "Rogue", "site": "rogue.example.org"},
                                   headers=admin), 403)

        assert before == (_ids(client.get(f"{ORGANISATIONS}/{other.id}/users", headers=operator_auth)),
                          _ids(client.get(TOKENS, headers=operator_auth, query_string={"limit": 100})),
                          _ids(client.get(WEBHOOKS, headers=operator_auth)))
        assert client.get(f"{ORGANISATIONS}/{other.id}", headers=operator_auth).json["site"] == other.site
        assert client.post(CLAIMS, json={"text": f"{other.name} still works."},
                           headers=other.factchecker).status_code == 201


def test_another_newsrooms_admin_cannot_mint_a_token_to_read_its_drafts(client, desks):
    """The finding: Desk B's admin issued a token for Desk A's factchecker and read A's drafts."""
    (a, b), _, drafts = desks
    factchecker = _token_of(a.factchecker).user_id
    assert_problem(client.post(f"{USERS}/{factchecker}/tokens", json={"name": "mine now"}, headers=b.admin), 404)
    assert_problem(client.get(f"{VERDICTS}/{drafts[a.id]['id']}", headers=b.admin), 404)
    assert client.get(f"{VERDICTS}/{drafts[a.id]['id']}", headers=a.reader).status_code == 200


def test_an_operator_sees_and_manages_every_newsroom(client, desks, operator_auth):
    (a, b), hooks, _ = desks
    operator = operator_auth
    assert {a.id, b.id} < _ids(client.get(ORGANISATIONS, headers=operator))
    assert _ids(client.get(WEBHOOKS, headers=operator)) == {hooks[a.id]["id"], hooks[b.id]["id"]}
    assert len(client.get(f"{WEBHOOKS}/{hooks[b.id]['id']}/deliveries", headers=operator).json["items"]) == 1
    assert {a.id, b.id} <= {e["organisation_id"] for e in audit_entries(client, operator)}
    tokens = client.get(TOKENS, headers=operator, query_string={"limit": 100}).json["items"]
    assert {_token_of(a.reader).id, _token_of(b.reader).id} <= {t["id"] for t in tokens}

    user = client.post(f"{ORGANISATIONS}/{a.id}/users", json={"name": "Ada", "role": "editor"}, headers=operator)
    assert user.status_code == 201 and user.json["organisation_id"] == a.id
    issued = client.post(f"{USERS}/{user.json['id']}/tokens", json={"name": "laptop"}, headers=operator)
    assert issued.status_code == 201
    url = f"{TOKENS}/{_token_of(b.reader).id}"
    assert client.delete(url, headers=if_match(client, url, operator)).status_code == 200
    assert_problem(client.get(CLAIMS + "/1/history", headers=b.reader), 401)
    url = f"{WEBHOOKS}/{hooks[b.id]['id']}"
    assert client.delete(url, headers=if_match(client, url, operator)).status_code == 204


def test_operators_belong_to_no_newsroom_and_the_api_never_grants_the_role(app, client, desks, operator_auth):
    (a, _), _, _ = desks
    result = app.test_cli_runner().invoke(args=[
        "create-token", "--name", "Night operator", "--role", "operator", "--organisation", a.name])
    assert result.exit_code == 0, result.output
    operator = {"Authorization": f"Bearer {result.stdout.split()[-1]}"}
    token = _token_of(operator)

    # Desk A's admin neither sees nor touches the operator filed under Desk A.
    users = client.get(f"{ORGANISATIONS}/{a.id}/users", headers=a.admin, query_string={"limit": 100}).json["items"]
    assert token.user_id not in {u["id"] for u in users}
    assert token.id not in _ids(client.get(TOKENS, headers=a.admin, query_string={"limit": 100}))
    assert_problem(client.get(f"{TOKENS}/{token.id}", headers=a.admin), 404)
    assert_problem(client.delete(f"{TOKENS}/{token.id}", headers={**a.admin, "If-Match": '"1"'}), 404)
    assert_problem(client.post(f"{USERS}/{token.user_id}/tokens", json={"name": "up"}, headers=a.admin), 404)
    # Not even an operator issues an operator's token, or makes one, through the API.
    assert_problem(client.post(f"{USERS}/{token.user_id}/tokens", json={"name": "up"}, headers=operator_auth), 403)
    for headers in (a.admin, operator_auth):
        assert_problem(client.post(f"{ORGANISATIONS}/{a.id}/users", json={"name": "Root", "role": "operator"},
                                   headers=headers), 422, "role")
    assert client.get(ORGANISATIONS, headers=operator).status_code == 200
    assert client.get(f"{TOKENS}/{token.id}", headers=operator).status_code == 200


def test_a_webhook_from_before_newsrooms_owned_them_is_the_operators(client, desks, operator_auth):
    (a, b), hooks, _ = desks
    db.session.add(Webhook(url=HOOK.format("old"), secret="whsec_old", created_by="someone who left"))
    db.session.commit()
    old = db.session.scalars(select(Webhook).where(Webhook.organisation_id.is_(None))).one()
    assert old.id in _ids(client.get(WEBHOOKS, headers=operator_auth))
    for desk in (a, b):
        assert _ids(client.get(WEBHOOKS, headers=desk.admin)) == {hooks[desk.id]["id"]}
        assert_problem(client.get(f"{WEBHOOKS}/{old.id}", headers=desk.admin), 404)
    assert client.get(f"{WEBHOOKS}/{old.id}", headers=operator_auth).json["organisation_id"] is None


def test_the_audit_log_of_an_admin_is_its_newsrooms(client, desks):
    (a, b), _, _ = desks
    for desk in (a, b):
        entries = audit_entries(client, desk.admin)
        assert entries and {e["organisation_id"] for e in entries} == {desk.id}
        assert {e["organisation_id"] for e in audit_entries(client, desk.editor)} == {desk.id}
    assert_problem(client.get(AUDIT, headers=a.factchecker), 403)
