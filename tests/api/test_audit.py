"""The audit trail: every write says who made it, with which token, and what it changed;
editors and admins read their newsroom's, operators everyone's (issue 4)."""
import json

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ApiToken
from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    REWORDED,
    assert_problem,
    create_claim,
    decide_link,
    if_match,
    link_between,
)
from tests.api.newsrooms import (
    AUDIT,
    ORGANISATIONS,
    TOKENS,
    audit_entries,
    history,
    patch_verdict,
    post_verdict,
)


def _who(headers: dict) -> dict:
    """The user, token and organisation behind a token's headers."""
    secret = headers["Authorization"].split(" ", 1)[1]
    db.session.remove()
    token = db.session.scalars(select(ApiToken).where(ApiToken.prefix == secret[:10])).one()
    return {"user_id": token.user_id, "token_id": token.id, "organisation_id": token.user.organisation_id}


def _entries(client, operator_auth) -> list[dict]:
    return audit_entries(client, operator_auth)


def _newest(client, operator_auth) -> dict:
    return _entries(client, operator_auth)[0]


def _assert_entry(entry: dict, action: str, who: dict, entity: str, entity_id: int) -> None:
    assert entry["action"] == action
    assert {k: entry[k] for k in who} == who
    assert (entry["entity"], entry["entity_id"]) == (entity, entity_id)
    assert entry["at"]


def test_every_claim_write_is_recorded_with_who(client, newsrooms, operator_auth):
    a, _ = newsrooms
    who = _who(a.factchecker)

    claim = create_claim(client, a.factchecker, "The harbour tunnel will open in 2027.")
    entry = _newest(client, operator_auth)
    _assert_entry(entry, "claim.created", who, "claim", claim["id"])
    assert entry["before"] is None and entry["after"]["text"] == "The harbour tunnel will open in 2027."
    assert entry["claim_id"] == claim["id"]

    response = client.post(f"{CLAIMS}/{claim['id']}/appearances", headers=a.factchecker,
                           json={"url": "https://example.org/tunnel"})
    assert response.status_code == 201
    _assert_entry(_newest(client, operator_auth), "appearance.added", who, "appearance", response.json["id"])

    verdict = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    entry = _newest(client, a.editor)  # a draft's entries are its newsroom's alone
    _assert_entry(entry, "verdict.submitted", who, "verdict", verdict["id"])
    assert entry["after"]["rating"] == "False" and entry["after"]["status"] == "draft"


def test_verdict_revisions_keep_before_and_after(client, newsrooms, operator_auth):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker)
    verdict = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    editor = _who(a.editor)

    assert patch_verdict(client, a.editor, verdict["id"], rating="Half True").status_code == 200
    entry = _newest(client, a.editor)  # a draft's entries are its newsroom's alone
    _assert_entry(entry, "verdict.revised", editor, "verdict", verdict["id"])
    assert (entry["before"]["rating"], entry["after"]["rating"]) == ("False", "Half True")
    assert entry["after"]["version"] == entry["before"]["version"] + 1

    assert patch_verdict(client, a.editor, verdict["id"], status="published").status_code == 200
    entry = _newest(client, operator_auth)
    _assert_entry(entry, "verdict.published", editor, "verdict", verdict["id"])
    assert (entry["before"]["status"], entry["after"]["status"]) == ("draft", "published")

    withdrawn = patch_verdict(client, a.factchecker, verdict["id"], status="withdrawn", reason="Misquoted.")
    assert withdrawn.status_code == 200
    entry = _newest(client, operator_auth)
    _assert_entry(entry, "verdict.withdrawn", _who(a.factchecker), "verdict", verdict["id"])
    assert (entry["before"]["status"], entry["after"]["status"]) == ("published", "withdrawn")

    # The whole story, oldest first, from the claim's history.
    story = [(e["action"], e["after"]["rating"], e["after"]["status"])
             for e in reversed(history(client, claim["id"], a.reader)) if e["entity"] == "verdict"]
    assert story == [("verdict.submitted", "False", "draft"), ("verdict.revised", "Half True", "draft"),
                     ("verdict.published", "Half True", "published"),
                     ("verdict.withdrawn", "Half True", "withdrawn")]


def test_link_decisions_are_recorded(client, auth, operator_auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    link = link_between(client, original["id"], reworded["id"])
    decided = decide_link(client, auth, link["id"], "rejected")
    entry = _newest(client, operator_auth)
    _assert_entry(entry, "link.rejected", _who(auth), "claim_link", link["id"])
    assert (entry["before"]["status"], entry["after"]["status"]) == ("suggested", "rejected")
    assert entry["after"]["version"] == decided["version"]


def test_admin_writes_are_recorded(client, newsrooms, operator_auth):
    a, _ = newsrooms
    operator = _who(operator_auth)
    organisation = client.post(ORGANISATIONS, json={"name": "Full Fact", "site": "fullfact.org"},
                               headers=operator_auth).json
    # An operator acts for the instance: no newsroom's log shows it making another newsroom.
    _assert_entry(_newest(client, operator_auth), "organisation.created", {**operator, "organisation_id": None},
                  "organisation", organisation["id"])

    admin = _who(a.admin)
    user = client.post(f"{ORGANISATIONS}/{a.id}/users", json={"name": "Ada", "role": "editor"},
                       headers=a.admin).json
    entry = _newest(client, a.admin)
    _assert_entry(entry, "user.created", admin, "user", user["id"])
    assert entry["after"]["role"] == "editor"

    token = client.post(f"/api/v1/users/{user['id']}/tokens", json={"name": "laptop"}, headers=a.admin).json
    entry = _newest(client, a.admin)
    _assert_entry(entry, "token.created", admin, "api_token", token["id"])
    assert entry["after"]["prefix"] == token["prefix"]

    url = f"{TOKENS}/{token['id']}"
    assert client.delete(url, headers=if_match(client, url, a.admin)).status_code == 200
    entry = _newest(client, a.admin)
    _assert_entry(entry, "token.revoked", admin, "api_token", token["id"])
    assert entry["before"]["revoked_at"] is None and entry["after"]["revoked_at"] is not None

    text = json.dumps(_entries(client, operator_auth))
    assert token["secret"] not in text and "token_hash" not in text
    assert db.session.get(ApiToken, token["id"]).token_hash not in text


def test_refused_writes_leave_no_entry(client, newsrooms, operator_auth):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    verdict = post_verdict(client, a.factchecker, claim["id"], "False")
    url = f"/api/v1/verdicts/{verdict['id']}"
    before = _entries(client, operator_auth)

    assert_problem(client.post(CLAIMS, json={"text": ""}, headers=a.factchecker), 422)
    assert_problem(client.post(CLAIMS, json={"text": "No."}, headers=a.reader), 403)
    assert_problem(client.patch(url, json={"rating": "True"}, headers=a.factchecker), 428)
    assert_problem(client.patch(url, json={"rating": "True"}, headers={**a.factchecker, "If-Match": '"9"'}), 412)
    assert_problem(patch_verdict(client, b.editor, verdict["id"], rating="True"), 403)
    assert_problem(client.post(ORGANISATIONS, json={"name": "Desk A", "site": "a.example.org"},
                               headers=operator_auth), 409)
    assert_problem(client.post(ORGANISATIONS, json={"name": "Desk C", "site": b.site}, headers=operator_auth), 409)
    assert_problem(client.post(ORGANISATIONS, json={"name": "Desk C", "site": "c.example.org"},
                               headers=a.admin), 403)

    assert _entries(client, operator_auth) == before


# --- who may read the trail ---

def _trail(client, newsrooms, operator_auth):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    a_draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    b_draft = post_verdict(client, b.factchecker, claim["id"], "True", status="draft")
    b_claim = create_claim(client, b.factchecker, "The ferry will be free from May.")
    return claim, a_draft, b_draft, b_claim


def test_editors_read_their_own_newsrooms_entries_only(client, newsrooms, operator_auth):
    a, b = newsrooms
    claim, a_draft, b_draft, b_claim = _trail(client, newsrooms, operator_auth)

    seen_by_a = audit_entries(client, a.editor)
    assert {e["organisation_id"] for e in seen_by_a} == {a.id}
    assert {(e["entity"], e["entity_id"]) for e in seen_by_a} == {("claim", claim["id"]), ("verdict", a_draft["id"])}
    seen_by_b = audit_entries(client, b.editor)
    assert {e["organisation_id"] for e in seen_by_b} == {b.id}
    assert {(e["entity"], e["entity_id"]) for e in seen_by_b} == {("verdict", b_draft["id"]),
                                                                   ("claim", b_claim["id"])}


def test_admins_read_their_own_newsrooms_entries_only(client, newsrooms, operator_auth):
    a, b = newsrooms
    claim, a_draft, _b_draft, _b_claim = _trail(client, newsrooms, operator_auth)
    client.post(f"{ORGANISATIONS}/{b.id}/users", json={"name": "Bo", "role": "reader"}, headers=b.admin)

    seen_by_a = audit_entries(client, a.admin)
    assert {e["organisation_id"] for e in seen_by_a} == {a.id}
    assert {(e["entity"], e["entity_id"]) for e in seen_by_a} == {("claim", claim["id"]), ("verdict", a_draft["id"])}
    seen_by_b = audit_entries(client, b.admin)
    assert {e["organisation_id"] for e in seen_by_b} == {b.id}
    assert {e["action"] for e in seen_by_b} == {"verdict.submitted", "claim.created", "user.created"}


def test_operators_read_every_entry(client, newsrooms, operator_auth):
    a, b = newsrooms
    _trail(client, newsrooms, operator_auth)
    entries = audit_entries(client, operator_auth)
    organisations = {e["organisation_id"] for e in entries}
    # And the instance's (None): the operator's, for the organisations it made, and the command line's.
    assert {a.id, b.id, None} == organisations
    assert {"organisation.created", "claim.created"} <= {e["action"] for e in entries}
    assert [e for e in entries if e["entity"] == "verdict"] == []  # but not a newsroom's drafts


@pytest.mark.parametrize("role", ["factchecker", "reader"])
def test_the_audit_log_is_403_below_editor(client, newsrooms, operator_auth, role):
    _trail(client, newsrooms, operator_auth)
    assert_problem(client.get(AUDIT, headers=getattr(newsrooms[0], role)), 403)


def test_the_audit_log_is_401_without_a_token(client):
    assert_problem(client.get(AUDIT), 401)


def test_the_audit_log_is_newest_first_and_paginated(client, newsrooms, operator_auth):
    a, _ = newsrooms
    for n in range(5):
        create_claim(client, a.factchecker, f"Claim {n} about the tram line extension.")
    first = client.get(AUDIT, headers=a.editor, query_string={"limit": 2})
    assert first.status_code == 200
    assert [e["after"]["text"] for e in first.json["items"]] == [
        "Claim 4 about the tram line extension.", "Claim 3 about the tram line extension."]
    assert first.json["next_cursor"] and 'rel="next"' in first.headers["Link"]
    ids = [e["id"] for e in audit_entries(client, a.editor)]
    assert ids == sorted(ids, reverse=True) and len(ids) == 5


def test_an_operators_writes_to_another_newsroom_stay_out_of_its_own_newsrooms_log(app, client, newsrooms):
    a, b = newsrooms
    result = app.test_cli_runner().invoke(args=[
        "create-token", "--name", "Night operator", "--role", "operator", "--organisation", a.name])
    operator = {"Authorization": f"Bearer {result.stdout.split()[-1]}"}
    hire = client.post(f"{ORGANISATIONS}/{b.id}/users", json={"name": "Quiet hire", "role": "editor"},
                       headers=operator).json
    client.post(f"/api/v1/users/{hire['id']}/tokens", json={"name": "laptop"}, headers=operator)
    claim = create_claim(client, operator, "The operator filed this claim.")

    for desk in (a.admin, a.editor):
        assert "Quiet hire" not in json.dumps(audit_entries(client, desk))
        assert claim["id"] not in {e["entity_id"] for e in audit_entries(client, desk) if e["entity"] == "claim"}
    seen = audit_entries(client, operator)
    assert {e["action"] for e in seen if e["organisation_id"] is None} >= {"user.created", "token.created",
                                                                           "claim.created"}
    # What concerns its own newsroom still shows there: a verdict it signs as Desk A.
    verdict = post_verdict(client, operator, claim["id"], "False")
    assert ("verdict", verdict["id"]) in {(e["entity"], e["entity_id"]) for e in audit_entries(client, a.editor)}
