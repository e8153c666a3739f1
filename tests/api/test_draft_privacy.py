"""A verdict never published stays its newsroom's through every transition and in every view."""
import json

import pytest

from tests.api.helpers import CLAIMS, create_claim
from tests.api.newsrooms import AUDIT, VERDICTS, patch_verdict, post_verdict
from tests.api.receivers import deliver, deliveries, register
from tests.conftest import bearer
from tests.console.test_console_app import signed_in

TEXT = "The harbour tunnel will cost the city nothing, the mayor said."
SECRET = "Embargoed until Monday"  # in the draft's rating and explanation, and nowhere public


def _move(client, newsroom, claim_id: int, transition: str) -> dict:
    """A never-published draft of Desk A, taken through `transition`."""
    if transition == "published around it":
        post_verdict(client, newsroom.factchecker, claim_id, "True")
    draft = post_verdict(client, newsroom.factchecker, claim_id, SECRET, status="draft", explanation=SECRET)
    if transition == "revised":
        assert patch_verdict(client, newsroom.editor, draft["id"], explanation=f"{SECRET}, revised.").status_code == 200
    if transition == "published around it":
        # Its newsroom re-rates the claim: the earlier verdict is superseded, the draft untouched.
        post_verdict(client, newsroom.factchecker, claim_id, "Mostly True")
    if transition != "left a draft":
        response = patch_verdict(client, newsroom.editor, draft["id"], status="withdrawn", reason="Misquoted.")
        assert response.status_code == 200, response.json
    return draft


def _public_views(app, client, claim_id: int, headers: dict, tmp_path) -> dict[str, str]:
    """Everything the headers' holder can read about the claim, as text."""
    views = {
        "claim": client.get(f"{CLAIMS}/{claim_id}", headers=headers),
        "claim list": client.get(CLAIMS, headers=headers),
        "history": client.get(f"{CLAIMS}/{claim_id}/history", headers=headers, query_string={"limit": 100}),
        "claimreview": client.get(f"{CLAIMS}/{claim_id}/claimreview", headers=headers),
        "feed": client.get("/api/v1/claimreviews", headers=headers),
        "search": client.get("/api/v1/claims:search", headers=headers, query_string={"query": TEXT}),
    }
    seen = {name: response.get_data(as_text=True) for name, response in views.items()}
    assert all(response.status_code == 200 for response in views.values()), seen
    if headers:
        audit = client.get(AUDIT, headers=headers, query_string={"limit": 100})
        seen["audit log"] = audit.get_data(as_text=True) if audit.status_code == 200 else ""
        console = app.test_client()
        signed_in(console, headers)
        page = console.get(f"/console/claims/{claim_id}")
        assert page.status_code == 200
        seen["console"] = page.get_data(as_text=True)
    for fmt in ("jsonl", "csv"):
        path = tmp_path / f"export.{fmt}"
        result = app.test_cli_runner().invoke(args=["export-claims", "--format", fmt, str(path)])
        assert result.exit_code == 0, result.output
        seen[f"export {fmt}"] = path.read_text(encoding="utf-8")
    return seen


@pytest.mark.parametrize("transition", ["left a draft", "withdrawn", "revised", "published around it"])
def test_a_draft_never_published_is_seen_by_its_own_newsroom_only(app, client, newsrooms, admin_auth, tmp_path,
                                                                  receiver, private_receivers, transition):
    a, b = newsrooms
    register(client, b.admin, receiver.url)
    claim = create_claim(client, a.factchecker, TEXT)
    post_verdict(client, b.factchecker, claim["id"], "False")  # so that search finds the claim
    draft = _move(client, a, claim["id"], transition)
    url = f"{VERDICTS}/{draft['id']}"

    outsiders = {"anonymous": {}, "Desk B factchecker": b.factchecker, "Desk B editor": b.editor,
                 "another newsroom's admin": admin_auth, "an operator": bearer("operator", "Instance", "operator")}
    for who, headers in outsiders.items():
        assert client.get(url, headers=headers).status_code == 404, who
        for view, text in _public_views(app, client, claim["id"], headers, tmp_path).items():
            assert SECRET not in text, (who, view)
            if view in ("history", "audit log") and text:
                entries = json.loads(text)["items"]
                assert not [e for e in entries if (e["entity"], e["entity_id"]) == ("verdict", draft["id"])]
    deliver(app)
    assert all(SECRET not in body.decode() for _, body in receiver.requests)
    assert all(SECRET not in str(delivery.payload) for delivery in deliveries())

    # Its own newsroom still reads it, and its whole story.
    own = client.get(url, headers=a.reader)
    assert own.status_code == 200 and own.json["published_at"] is None
    history = client.get(f"{CLAIMS}/{claim['id']}/history", headers=a.reader, query_string={"limit": 100}).json
    assert [e["action"] for e in history["items"] if e["entity_id"] == draft["id"] and e["entity"] == "verdict"]
    console = app.test_client()
    signed_in(console, a.reader)
    assert SECRET in console.get(f"/console/claims/{claim['id']}").get_data(as_text=True)


def test_a_verdict_once_published_stays_public_when_withdrawn(client, newsrooms):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker, TEXT)
    draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    assert patch_verdict(client, a.editor, draft["id"], status="published").status_code == 200
    assert patch_verdict(client, a.editor, draft["id"], status="withdrawn", reason="Misquoted.").status_code == 200
    shown = client.get(f"{VERDICTS}/{draft['id']}").json
    assert shown["status"] == "withdrawn" and shown["published_at"] is not None
    actions = [e["action"] for e in client.get(f"{CLAIMS}/{claim['id']}/history").json["items"]]
    assert actions[:2] == ["verdict.withdrawn", "verdict.published"]
