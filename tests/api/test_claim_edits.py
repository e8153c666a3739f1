"""Correcting a claim (PATCH) and removing one (DELETE), between two newsrooms."""
import pytest

from factcheck.extensions import db
from factcheck.services.exchange import export
from factcheck.services.links import linker as linking
from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    NEAR_COPY,
    UNRELATED,
    add_verdict,
    assert_problem,
    create_claim,
    get_claim,
    if_match,
    link_between,
    match,
)
from tests.api.newsrooms import history
from tests.system.integrity import integrity_problems

REASON = "Spam posted by a bot."


def edit(client, auth: dict, claim_id: int, **changes):
    url = f"{CLAIMS}/{claim_id}"
    return client.patch(url, json=changes, headers=if_match(client, url, auth))


def remove(client, auth: dict, claim_id: int, reason: str = REASON):
    url = f"{CLAIMS}/{claim_id}"
    return client.delete(url, query_string={"reason": reason}, headers=if_match(client, url, auth))


# --- corrections ---

def test_any_newsrooms_factchecker_corrects_a_claim(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker, "The mayor said taxes rose by 40 percnet.")
    response = edit(client, b.factchecker, claim["id"], text="The mayor said taxes rose by 40 percent.",
                    claimant={"name": "Jane Mayor"})
    assert response.status_code == 200, response.json
    assert response.json["text"] == "The mayor said taxes rose by 40 percent."
    assert response.json["claimant"]["name"] == "Jane Mayor"
    assert response.json["version"] == claim["version"] + 1
    assert response.headers["ETag"] == f'"{claim["version"] + 1}"'
    assert get_claim(client, claim["id"])["text"] == "The mayor said taxes rose by 40 percent."

    renamed = edit(client, a.factchecker, claim["id"], claimant={"name": "jane  MAYOR"}, language="fr")
    assert (renamed.json["claimant"]["name"], renamed.json["language"], renamed.json["language_source"]) == (
        "Jane Mayor", "fr", "given")


def test_a_correction_needs_the_version_it_read(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    url = f"{CLAIMS}/{claim['id']}"
    stale = if_match(client, url, b.factchecker)
    assert edit(client, a.factchecker, claim["id"], text="The moon is made of blue cheese.").status_code == 200
    assert_problem(client.patch(url, json={"text": "The moon is rock."}, headers=stale), 412)
    assert_problem(client.patch(url, json={"text": "The moon is rock."}, headers=b.factchecker), 428)
    assert get_claim(client, claim["id"])["text"] == "The moon is made of blue cheese."


def test_a_correction_may_not_take_another_claims_text(client, newsrooms):
    a, b = newsrooms
    taken = create_claim(client, a.factchecker, "The moon is made of rock.")
    claim = create_claim(client, a.factchecker, "The moon is made of rok.")
    problem = assert_problem(edit(client, b.factchecker, claim["id"], text="The moon is made of rock. "), 409, "text")
    assert str(taken["id"]) in problem["detail"]
    assert get_claim(client, claim["id"])["text"] == "The moon is made of rok."
    assert edit(client, b.factchecker, taken["id"], text="The moon is made of rock!").status_code == 200


@pytest.mark.parametrize("body, field", [
    ({}, "_schema"), ({"text": "   "}, "text"), ({"group_id": 3}, "group_id"), ({"language": "not a tag"}, "language"),
])
def test_a_bad_correction_is_422_naming_the_field(client, newsrooms, body, field):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker)
    url = f"{CLAIMS}/{claim['id']}"
    assert_problem(client.patch(url, json=body, headers=if_match(client, url, a.factchecker)), 422, field)


def test_readers_may_not_correct_and_unknown_claims_are_404(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    url = f"{CLAIMS}/{claim['id']}"
    assert_problem(client.patch(url, json={"text": "x y z"}, headers=if_match(client, url, b.reader)), 403)
    assert_problem(client.patch(f"{CLAIMS}/99999", json={"text": "x y z"},
                                headers={**a.factchecker, "If-Match": '"1"'}), 404)


def test_a_new_text_is_indexed_and_linked_again(client, newsrooms):
    a, b = newsrooms
    base = create_claim(client, a.factchecker, BASE_CLAIM)
    other = create_claim(client, a.factchecker, UNRELATED)
    add_verdict(client, base["id"], "False")
    assert link_between(client, base["id"], other["id"]) is None

    joined = edit(client, b.factchecker, other["id"], text=NEAR_COPY).json
    link = link_between(client, base["id"], other["id"])
    assert link["status"] == "confirmed"
    assert joined["group_id"] == base["id"]
    assert [v["rating"] for v in joined["verdicts"]] == ["False"]  # the group's verdict spreads to it
    assert match(client, "carrots at night eyesight Norway") == []

    apart = edit(client, a.factchecker, other["id"], text=UNRELATED).json
    assert link_between(client, base["id"], other["id"]) is None
    assert (apart["group_id"], apart["verdicts"], apart["status"]) == (other["id"], [], "unchecked")
    assert [m["claim"]["id"] for m in match(client, "carrots at night eyesight Norway")] == [other["id"]]
    assert integrity_problems(db.engine) == []  # postings, dfs, corpus figures, groups and summaries


def test_the_history_shows_a_correction_by_name(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker, "Unemployment fell to 3 percnet.")
    edit(client, b.factchecker, claim["id"], text="Unemployment fell to 3 percent.")
    (entry, created) = history(client, claim["id"], a.reader)
    assert entry["action"] == "claim.edited"
    assert entry["by"] == {"user": "Desk B factchecker", "newsroom": "Desk B"}
    assert (entry["before"]["text"], entry["after"]["text"]) == (
        "Unemployment fell to 3 percnet.", "Unemployment fell to 3 percent.")
    assert set(entry["after"]) == {"text", "claimant", "language", "removed_reason"}
    assert created["action"] == "claim.created" and created["by"]["newsroom"] == "Desk A"


# --- removal ---

def test_only_an_editor_removes_a_claim_of_any_newsroom(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker, "Buy cheap watches at example.biz!")
    assert_problem(remove(client, a.factchecker, claim["id"]), 403)
    assert_problem(remove(client, b.factchecker, claim["id"]), 403)
    assert remove(client, b.editor, claim["id"]).status_code == 204

    gone = assert_problem(client.get(f"{CLAIMS}/{claim['id']}"), 410)
    assert REASON in gone["detail"]
    entry = history(client, claim["id"], a.reader)[0]
    assert (entry["action"], entry["by"]["newsroom"], entry["after"]["removed_reason"]) == (
        "claim.removed", "Desk B", REASON)
    url = f"{CLAIMS}/{claim['id']}"
    assert_problem(client.delete(url, query_string={"reason": REASON}, headers={**a.editor, "If-Match": '"2"'}), 410)
    assert_problem(client.patch(url, json={"text": "x y"}, headers={**a.factchecker, "If-Match": '"2"'}), 410)


def test_a_removal_needs_a_reason_and_the_version_it_read(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    url = f"{CLAIMS}/{claim['id']}"
    assert_problem(client.delete(url, headers=if_match(client, url, b.editor)), 422, "reason")
    assert_problem(client.delete(url, query_string={"reason": " "}, headers=if_match(client, url, b.editor)),
                   422, "reason")
    stale = if_match(client, url, b.editor)
    edit(client, a.factchecker, claim["id"], text="The moon is made of green cheese.")
    assert_problem(client.delete(url, query_string={"reason": REASON}, headers=stale), 412)
    assert get_claim(client, claim["id"])["text"] == "The moon is made of green cheese."


def test_a_removed_claim_leaves_lists_search_feeds_groups_and_exports(client, newsrooms):
    a, b = newsrooms
    base = create_claim(client, a.factchecker, BASE_CLAIM)
    spam = create_claim(client, a.factchecker, NEAR_COPY, appearances=[{"url": "https://spam.example/1"}])
    assert get_claim(client, spam["id"])["group_id"] == base["id"]
    add_verdict(client, spam["id"], "True", site="snopes.com")
    add_verdict(client, base["id"], "False", site="politifact.com")
    contested = client.get(f"{CLAIMS}/contested").json["items"]
    assert {c["id"] for c in contested} == {base["id"], spam["id"]}

    assert remove(client, b.editor, spam["id"]).status_code == 204

    assert [c["id"] for c in client.get(CLAIMS).json["items"]] == [base["id"]]
    assert client.get(CLAIMS, query_string={"q": "governor"}).json["items"][0]["id"] == base["id"]
    assert client.get(CLAIMS, query_string={"outlet": "spam.example"}).json["items"] == []
    assert client.get(f"{CLAIMS}/contested").json["items"] == []
    assert [m["claim"]["id"] for m in match(client, NEAR_COPY)] == [base["id"]]
    remaining = get_claim(client, base["id"])
    assert [v["publisher"]["site"] for v in remaining["verdicts"]] == ["politifact.com"]
    assert remaining["status"] == "checked"
    feed = client.get("/api/v1/claimreviews", query_string={"limit": 100}).json["dataFeedElement"]
    assert len(feed) == 1
    found = client.get("/api/v1/claims:search", query_string={"query": NEAR_COPY}).json
    assert [c["text"] for c in found.get("claims", [])] == [BASE_CLAIM]
    assert [record["text"] for _, record in export.export_records()] == [BASE_CLAIM]
    assert export.count_claims() == 1
    # Its verdicts and history stay readable for the record.
    assert history(client, spam["id"], a.reader)[0]["action"] == "claim.removed"
    assert integrity_problems(db.engine) == []


def test_a_removed_claims_text_may_be_recorded_again(client, newsrooms):
    a, b = newsrooms
    spam = create_claim(client, a.factchecker, UNRELATED)
    remove(client, a.editor, spam["id"])
    again = create_claim(client, b.factchecker, UNRELATED)
    assert again["id"] != spam["id"] and again["group_id"] == again["id"]
    assert [m["claim"]["id"] for m in match(client, UNRELATED)] == [again["id"]]


def test_a_claim_corrected_or_removed_before_the_linker_got_to_it(app, client, newsrooms, linker_kept_out):
    a, b = newsrooms
    base = create_claim(client, a.factchecker, BASE_CLAIM)
    with linking.linker_held():
        typo = create_claim(client, a.factchecker, "The governor signed a law about schools, said a tweet")
        spam = create_claim(client, b.factchecker, "Cheap watches at example.biz, buy now")
    assert linking.pending_ids() == [typo["id"], spam["id"]]

    # Linked once, with its corrected text, when the correction commits.
    url = f"{CLAIMS}/{typo['id']}"
    response = client.patch(url, json={"text": NEAR_COPY}, headers=if_match(client, url, b.factchecker))
    assert response.status_code == 200, response.json
    assert get_claim(client, typo["id"])["group_id"] == base["id"]
    # Never linked, never indexed.
    url = f"{CLAIMS}/{spam['id']}"
    removal = client.delete(url, query_string={"reason": "Spam."}, headers=if_match(client, url, a.editor))
    assert removal.status_code == 204
    assert linking.pending_ids() == []
    assert match(client, "Cheap watches at example.biz") == []
    assert integrity_problems(db.engine) == []
