"""Verdicts belong to a newsroom: draft -> published -> withdrawn, superseding, and what
another newsroom may see and do (issue 4)."""
import pytest

from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    REWORDED,
    assert_problem,
    create_claim,
    decide_link,
    get_claim,
    link_between,
    verdict,
)
from tests.api.newsrooms import VERDICTS, history, patch_verdict, post_verdict


@pytest.fixture
def claim(client, auth):
    return create_claim(client, auth, "The new bridge cost twice what the council promised.")


def _verdict_ids(client, claim_id: int) -> list[int]:
    return [v["id"] for v in get_claim(client, claim_id)["verdicts"]]


def _summary(client, claim_id: int) -> tuple:
    shown = get_claim(client, claim_id)
    return shown["status"], shown["consensus"]


def _contested_ids(client) -> list[int]:
    return [c["id"] for c in client.get(f"{CLAIMS}/contested").json["items"]]


# --- the publisher of a newsroom's verdict ---

def test_publisher_defaults_to_the_organisation(client, newsrooms, claim):
    a, _ = newsrooms
    body = post_verdict(client, a.factchecker, claim["id"], "Mostly True")
    assert body["publisher"] == {"name": "Desk A", "site": "desk-a.example.org"}
    assert body["organisation_id"] == a.id
    assert body["status"] == "published"


def test_a_newsroom_publishes_under_its_own_site_only(client, newsrooms, claim):
    a, _ = newsrooms
    url = f"{CLAIMS}/{claim['id']}/verdicts"
    for status in ("published", "draft"):
        response = client.post(url, headers=a.factchecker,
                               json={**verdict("True", site="politifact.com", name="PolitiFact"), "status": status})
        assert "desk-a.example.org" in assert_problem(response, 403, "publisher")["detail"]
    assert get_claim(client, claim["id"])["verdicts"] == []

    body = post_verdict(client, a.factchecker, claim["id"], "True",
                        publisher={"name": "Desk A Fact Check", "site": "https://www.Desk-A.example.org/"})
    assert body["publisher"]["site"] == "desk-a.example.org"
    assert body["organisation_id"] == a.id


def test_a_newsroom_without_a_site_cannot_publish(client, claim):
    from factcheck.extensions import db
    from factcheck.models import Organisation
    from tests.conftest import bearer

    # Only a newsroom made before sites were required has none.
    db.session.add(Organisation(name="Siteless desk"))
    db.session.commit()
    auth = bearer("factchecker", "Siteless desk")
    url = f"{CLAIMS}/{claim['id']}/verdicts"
    for body in ({"rating": "True"}, {"rating": "True", "status": "draft"},
                 verdict("True", site="siteless.example.org")):
        problem = assert_problem(client.post(url, json=body, headers=auth), 403)
        assert "operator must set" in problem["detail"]
    assert get_claim(client, claim["id"])["verdicts"] == []


# --- drafts: seen by their own newsroom only, counted nowhere ---

def test_a_draft_is_seen_by_its_own_newsroom_only(client, newsrooms, claim):
    a, b = newsrooms
    draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    assert draft["status"] == "draft"
    url = f"{VERDICTS}/{draft['id']}"

    for own in (a.factchecker, a.editor, a.reader):
        response = client.get(url, headers=own)
        assert response.status_code == 200
        assert response.json == draft
    for other in (b.factchecker, b.editor, b.reader, {}):
        assert_problem(client.get(url, headers=other), 404)
    # The 404 is the same as for an id that does not exist.
    assert client.get(url, headers=b.editor).json["title"] == client.get(f"{VERDICTS}/9999").json["title"]


def test_a_draft_counts_nowhere_until_published(client, newsrooms, claim):
    a, b = newsrooms
    post_verdict(client, b.factchecker, claim["id"], "True")
    draft = post_verdict(client, a.factchecker, claim["id"], "Pants on Fire", status="draft")

    assert _verdict_ids(client, claim["id"]) != [] and draft["id"] not in _verdict_ids(client, claim["id"])
    assert _summary(client, claim["id"]) == ("checked", {"category": "true", "score": 1.0})
    assert claim["id"] not in _contested_ids(client)
    listed = client.get(CLAIMS, query_string={"status": "contested"}).json["items"]
    assert listed == []

    response = patch_verdict(client, a.factchecker, draft["id"], status="published")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "published"
    assert draft["id"] in _verdict_ids(client, claim["id"])
    assert _summary(client, claim["id"]) == ("contested", {"category": "mixed", "score": 0.5})
    assert claim["id"] in _contested_ids(client)


def test_a_claim_with_only_a_draft_stays_unchecked(client, newsrooms, claim):
    a, _ = newsrooms
    post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    assert _summary(client, claim["id"]) == ("unchecked", None)
    assert get_claim(client, claim["id"])["verdicts"] == []
    assert client.get(CLAIMS, query_string={"status": "checked"}).json["items"] == []


def test_a_withdrawn_verdict_stops_counting(client, newsrooms, claim):
    a, b = newsrooms
    post_verdict(client, b.factchecker, claim["id"], "True")
    published = post_verdict(client, a.factchecker, claim["id"], "False")
    assert claim["id"] in _contested_ids(client)

    response = patch_verdict(client, a.editor, published["id"], status="withdrawn", reason="Misquoted.")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "withdrawn"
    assert published["id"] not in _verdict_ids(client, claim["id"])
    assert _summary(client, claim["id"]) == ("checked", {"category": "true", "score": 1.0})
    assert claim["id"] not in _contested_ids(client)
    # Still readable by anyone, as withdrawn.
    assert client.get(f"{VERDICTS}/{published['id']}").json["status"] == "withdrawn"


@pytest.mark.parametrize("start, path, refused", [
    ("published", [], "draft"),
    ("published", ["withdrawn"], "published"),
    ("published", ["withdrawn"], "draft"),
    ("draft", ["withdrawn"], "published"),
    ("draft", ["withdrawn"], "draft"),
])
def test_the_lifecycle_only_moves_forward(client, newsrooms, claim, start, path, refused):
    a, _ = newsrooms
    created = post_verdict(client, a.factchecker, claim["id"], "False", status=start)
    for status in path:
        moved = patch_verdict(client, a.factchecker, created["id"], status=status, reason="Wrong claim.")
        assert moved.status_code == 200
    before = client.get(f"{VERDICTS}/{created['id']}", headers=a.factchecker).json

    assert_problem(patch_verdict(client, a.factchecker, created["id"], status=refused), 409)
    assert client.get(f"{VERDICTS}/{created['id']}", headers=a.factchecker).json == before


def test_a_draft_can_be_revised_before_publishing(client, newsrooms, claim):
    a, _ = newsrooms
    draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    response = patch_verdict(client, a.factchecker, draft["id"], rating="Mostly True",
                             explanation="Checked the budget papers.")
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["status"], body["rating"], body["score"], body["category"]) == ("draft", "Mostly True", 0.75, "true")
    assert body["explanation"] == "Checked the budget papers."
    assert body["version"] == draft["version"] + 1
    assert get_claim(client, claim["id"])["verdicts"] == []


def test_editors_of_the_newsroom_may_revise_its_verdicts(client, newsrooms, claim):
    a, _ = newsrooms
    published = post_verdict(client, a.factchecker, claim["id"], "False")
    response = patch_verdict(client, a.editor, published["id"], rating="Half True")
    assert response.status_code == 200, response.json
    assert (response.json["rating"], response.json["category"]) == ("Half True", "mixed")
    assert _summary(client, claim["id"]) == ("checked", {"category": "mixed", "score": 0.5})


def test_a_reader_of_the_newsroom_may_not_revise(client, newsrooms, claim):
    a, _ = newsrooms
    published = post_verdict(client, a.factchecker, claim["id"], "False")
    assert_problem(patch_verdict(client, a.reader, published["id"], rating="True"), 403)


# --- another newsroom's verdicts ---

def test_another_newsroom_gets_404_for_a_draft_on_patch(client, newsrooms, claim):
    a, b = newsrooms
    draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    url = f"{VERDICTS}/{draft['id']}"
    for other in (b.factchecker, b.editor):
        for headers in ({**other, "If-Match": f'"{draft["version"]}"'}, other):
            for change in ({"rating": "True"}, {"status": "published"},
                           {"status": "withdrawn", "reason": "Misquoted."}):
                assert_problem(client.patch(url, json=change, headers=headers), 404)
    assert client.get(url, headers=a.factchecker).json == draft


def test_another_newsroom_gets_403_for_a_published_verdict(client, newsrooms, claim):
    a, b = newsrooms
    published = post_verdict(client, a.factchecker, claim["id"], "False")
    url = f"{VERDICTS}/{published['id']}"
    for other in (b.factchecker, b.editor):
        for change in ({"rating": "True"}, {"status": "withdrawn", "reason": "Misquoted."},
                       {"explanation": "Ours now."}):
            # B can read the ETag of a published verdict; it still may not change it.
            assert_problem(patch_verdict(client, other, published["id"], **change), 403)
        assert_problem(client.patch(url, json={"rating": "True"}, headers=other), 403)
    assert client.get(url).json == published
    assert _summary(client, claim["id"]) == ("checked", {"category": "false", "score": 0.0})


def test_another_newsroom_gets_403_for_a_withdrawn_verdict(client, newsrooms, claim):
    a, b = newsrooms
    published = post_verdict(client, a.factchecker, claim["id"], "False")
    patch_verdict(client, a.factchecker, published["id"], status="withdrawn", reason="Misquoted.")
    assert_problem(patch_verdict(client, b.editor, published["id"], explanation="Ours."), 403)


def test_another_newsrooms_drafts_stay_out_of_claims_and_histories(client, newsrooms, claim):
    a, b = newsrooms
    draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft",
                         explanation="Secret until Monday.")
    for headers in ({}, b.factchecker, b.editor, a.factchecker):
        shown = client.get(f"{CLAIMS}/{claim['id']}", headers=headers).json
        assert shown["verdicts"] == [] and shown["status"] == "unchecked"
    for other in ({}, b.factchecker, b.editor, b.reader):
        entries = history(client, claim["id"], other)
        assert [e for e in entries if e["entity"] == "verdict"] == []
        assert "Secret until Monday." not in str(entries)
    own = [e for e in history(client, claim["id"], a.reader) if e["entity"] == "verdict"]
    assert [(e["action"], e["entity_id"]) for e in own] == [("verdict.submitted", draft["id"])]
    assert own[0]["after"]["explanation"] == "Secret until Monday."


def test_claim_list_and_contested_list_never_show_drafts(client, newsrooms, claim):
    a, b = newsrooms
    post_verdict(client, b.factchecker, claim["id"], "True")
    draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    for headers in ({}, a.factchecker, b.factchecker):
        listed = client.get(CLAIMS, headers=headers).json["items"]
        assert draft["id"] not in [v["id"] for c in listed for v in c["verdicts"]]
        contested = client.get(f"{CLAIMS}/contested", headers=headers).json["items"]
        assert contested == []


# --- superseding: a newsroom re-rates a claim ---

def test_a_new_published_verdict_supersedes_the_earlier_one(client, newsrooms, claim):
    a, b = newsrooms
    post_verdict(client, b.factchecker, claim["id"], "True")
    first = post_verdict(client, a.factchecker, claim["id"], "False")
    assert _summary(client, claim["id"])[0] == "contested"

    second = post_verdict(client, a.factchecker, claim["id"], "True")
    assert second["superseded_by_id"] is None
    old = client.get(f"{VERDICTS}/{first['id']}").json
    assert old["superseded_by_id"] == second["id"]
    assert old["status"] == "published" and old["rating"] == "False"
    assert _summary(client, claim["id"]) == ("checked", {"category": "true", "score": 1.0})
    assert claim["id"] not in _contested_ids(client)

    # Nothing was overwritten: the history shows both verdicts as submitted.
    submitted = [(e["entity_id"], e["after"]["rating"]) for e in history(client, claim["id"])
                 if e["action"] == "verdict.submitted" and e["by"]["newsroom"] == a.name]
    assert sorted(submitted) == [(first["id"], "False"), (second["id"], "True")]


def test_publishing_a_draft_supersedes_the_earlier_verdict(client, newsrooms, claim):
    a, _ = newsrooms
    first = post_verdict(client, a.factchecker, claim["id"], "False")
    draft = post_verdict(client, a.factchecker, claim["id"], "Mostly True", status="draft")
    # A draft replaces nothing yet.
    assert client.get(f"{VERDICTS}/{first['id']}").json["superseded_by_id"] is None
    assert _summary(client, claim["id"]) == ("checked", {"category": "false", "score": 0.0})

    assert patch_verdict(client, a.editor, draft["id"], status="published").status_code == 200
    assert client.get(f"{VERDICTS}/{first['id']}").json["superseded_by_id"] == draft["id"]
    assert _summary(client, claim["id"]) == ("checked", {"category": "true", "score": 0.75})
    actions = [e["action"] for e in history(client, claim["id"], a.reader) if e["entity"] == "verdict"]
    assert actions == ["verdict.published", "verdict.submitted", "verdict.submitted"]


def test_another_newsroom_does_not_supersede(client, newsrooms, claim):
    a, b = newsrooms
    first = post_verdict(client, a.factchecker, claim["id"], "False")
    post_verdict(client, b.factchecker, claim["id"], "False")
    assert client.get(f"{VERDICTS}/{first['id']}").json["superseded_by_id"] is None


def test_another_newsroom_cannot_supersede_by_signing_as_it(client, newsrooms, claim):
    """B naming A's site as its publisher must not replace A's verdict in the consensus."""
    a, b = newsrooms
    first = post_verdict(client, a.factchecker, claim["id"], "False")
    response = client.post(f"{CLAIMS}/{claim['id']}/verdicts", headers=b.factchecker,
                           json=verdict("True", site=a.site, name=a.name))
    assert response.status_code == 403, response.json
    assert client.get(f"{VERDICTS}/{first['id']}").json["superseded_by_id"] is None
    assert _summary(client, claim["id"])[1]["category"] in ("false", "mixed")


# --- every write endpoint, between two newsrooms ---

# Where each write endpoint's cross-newsroom rule is tested. Only verdicts (and what hangs off
# them) belong to a newsroom; claims, their appearances and near-duplicate links are shared
# by every newsroom on the instance; the rest is for a newsroom's admins, or operators.
WRITE_ENDPOINTS = {
    ("POST", "/api/v1/claims"): "shared: test_claims_appearances_and_links_are_shared",
    ("POST", "/api/v1/claims/<id:claim_id>/appearances"): "shared: test_claims_appearances_and_links_are_shared",
    ("PATCH", "/api/v1/claims/<id:claim_id>"): "shared: test_any_newsrooms_factchecker_corrects_a_claim",
    ("DELETE", "/api/v1/claims/<id:claim_id>"): "any editor: test_only_an_editor_removes_a_claim_of_any_newsroom",
    ("POST", "/api/v1/claims/<id:claim_id>/verdicts"): "owned by the poster: test_another_newsroom_does_not_supersede",
    ("PATCH", "/api/v1/verdicts/<id:verdict_id>"): "owned: test_another_newsroom_gets_*",
    ("PATCH", "/api/v1/links/<id:link_id>"): "shared: test_claims_appearances_and_links_are_shared",
    ("POST", "/api/v1/claims/match"): "a read sent as POST: writes nothing",
    ("POST", "/api/v1/organisations"): "operators only: test_newsroom_scopes",
    ("PATCH", "/api/v1/organisations/<id:organisation_id>"): "operators only: test_newsroom_scopes",
    ("POST", "/api/v1/organisations/<id:organisation_id>/users"): "own newsroom's admin: test_newsroom_scopes",
    ("POST", "/api/v1/users/<id:user_id>/tokens"): "own newsroom's admin: test_newsroom_scopes",
    ("DELETE", "/api/v1/tokens/<id:token_id>"): "own newsroom's admin: test_newsroom_scopes",
    ("POST", "/api/v1/webhooks"): "own newsroom's admin: test_newsroom_scopes",
    ("DELETE", "/api/v1/webhooks/<id:webhook_id>"): "own newsroom's admin: test_newsroom_scopes",
    ("POST", "/api/v1/claimreviews/import"): "the ClaimReview import tests",
    ("POST", "/api/v1/links/decisions"): "shared: test_review_queue.test_decisions_in_bulk_answer_item_by_item",
    ("POST", "/console/sign-in"): "the token's own newsroom: tests/console",
    ("POST", "/console/sign-out"): "the session's own: tests/console",
    ("POST", "/console/links/<id:link_id>"): "shared, as PATCH /links/{id}: tests/console",
    ("POST", "/console/claims/<id:claim_id>/verdicts"): "owned by the poster, as the API's",
    ("POST", "/console/check"): "a read sent as POST, as /claims/match: writes nothing",
    ("POST", "/console/verdicts/<id:verdict_id>"):
        "owned: test_console_app.test_a_newsroom_cannot_publish_or_withdraw_anothers_verdict",
    ("POST", "/api/v1/articles"): "shared, as claims: test_article_decisions (either newsroom posts, both read)",
    ("PUT", "/api/v1/articles/<id:article_id>/candidates/<id:candidate_id>/decision"):
        "each newsroom's own: test_article_decisions.test_each_newsroom_decides_for_itself_and_sees_its_own_decisions",
    ("POST", "/console/articles"): "shared, as POST /articles: tests/console/test_console_articles",
    ("POST", "/console/articles/<id:article_id>/candidates/<id:candidate_id>"):
        "each newsroom's own, as PUT .../decision: tests/console/test_console_articles",
}


def test_every_write_endpoint_has_a_cross_newsroom_rule(app):
    """A new write endpoint must say whose objects it changes, and have tests saying so."""
    found = {(method, rule.rule) for rule in app.url_map.iter_rules()
             for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    assert found - WRITE_ENDPOINTS.keys() == set(), "write endpoints without a cross-newsroom test"


def test_claims_appearances_and_links_are_shared(client, newsrooms):
    a, b = newsrooms
    original = create_claim(client, a.factchecker, BASE_CLAIM)
    reworded = create_claim(client, a.factchecker, REWORDED)
    response = client.post(f"{CLAIMS}/{original['id']}/appearances", headers=b.factchecker,
                           json={"url": "https://desk-b.example.org/story"})
    assert response.status_code == 201
    link = link_between(client, original["id"], reworded["id"])
    assert decide_link(client, b.factchecker, link["id"], "confirmed")["decided_by"] == "Desk B factchecker"
    # B's verdict on A's claim is B's own.
    body = post_verdict(client, b.factchecker, original["id"], "True")
    assert (body["organisation_id"], body["publisher"]["site"]) == (b.id, b.site)
