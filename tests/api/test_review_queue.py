"""The review queue (GET /links) and decisions on many links at once (POST /links/decisions)."""
import pytest

from tests.api.helpers import (
    BASE_CLAIM,
    LINKS,
    REWORDED,
    UNRELATED,
    assert_problem,
    create_claim,
    get_claim,
    link_between,
    statements_for,
    walk,
)
from tests.api.newsrooms import audit_entries, post_verdict

DECISIONS = f"{LINKS}/decisions"
# Rewordings of BASE_CLAIM's kind, each suggested (70-90) against its original.
PAIRS = [
    (BASE_CLAIM, REWORDED),
    ("Russia will provide Syria with S-300s.", "Russia says it will provide Syria with S-300 missile systems."),
    ("15 crew members were killed when the Russian plane was shot down.",
     "15 crew members died when the Russian plane was shot down over Syria."),
]


def _suggested(client, auth) -> list[dict]:
    """Store PAIRS (the first with an outlet and a claimant); the queue's items, best first."""
    for n, (original, rewording) in enumerate(PAIRS):
        create_claim(client, auth, original, claimant={"name": "Moscow"},
                     appearances=[{"url": f"https://www.example.com/news/{n}"}])
        create_claim(client, auth, rewording)
    return walk(client, LINKS, limit=2)


def test_the_queue_lists_suggested_links_across_claims_best_first(client, auth):
    items = _suggested(client, auth)
    assert len(items) == len(PAIRS)
    assert [item["score"] for item in items] == sorted((item["score"] for item in items), reverse=True)
    assert {item["status"] for item in items} == {"suggested"}
    item = next(i for i in items if i["claim"]["text"] == BASE_CLAIM)
    assert item["other"]["text"] == REWORDED
    assert item["claim"]["outlets"] == [{"name": "example.com", "domain": "example.com"}]
    assert item["claim"]["claimant"]["name"] == "Moscow" and item["other"]["claimant"] is None
    assert item["other"]["outlets"] == []
    # What the score is made of: the mean of its two parts, and why a person must decide it.
    parts = item["parts"]
    assert item["score"] == pytest.approx((parts["token_set_ratio"] + parts["token_sort_ratio"]) / 2, abs=0.01)
    assert item["scorer"] == "mean(token_set,token_sort)/v1"
    assert "below_auto_threshold" in item["held_back"]
    crew = next(i for i in items if "crew" in i["claim"]["text"])
    assert "number_differs" not in crew["held_back"]  # 15 on both sides


def test_the_queue_filters_by_status_and_orders_by_newest(client, auth):
    copy = UNRELATED.replace("eyesight", "eyesight,")
    create_claim(client, auth, UNRELATED)
    create_claim(client, auth, copy)  # confirmed by the engine
    items = _suggested(client, auth)
    confirmed = walk(client, LINKS, status="confirmed")
    assert [(i["claim"]["text"], i["other"]["text"]) for i in confirmed] == [(UNRELATED, copy)]
    assert confirmed[0]["held_back"] == []
    newest = walk(client, LINKS, order="newest", limit=1)
    assert [i["id"] for i in newest] == sorted((i["id"] for i in items), reverse=True)
    assert walk(client, LINKS, status="rejected") == []


@pytest.mark.parametrize("params, field", [
    ({"status": "maybe"}, "status"), ({"order": "demand"}, "order"), ({"limit": 101}, "limit"),
    ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"), ({"colour": "red"}, "colour"),
])
def test_bad_queue_query_is_422(client, params, field):
    assert_problem(client.get(LINKS, query_string=params), 422, field)


def test_a_score_cursor_is_refused_by_the_newest_order(client, auth):
    _suggested(client, auth)
    cursor = client.get(LINKS, query_string={"limit": 1}).json["next_cursor"]
    assert_problem(client.get(LINKS, query_string={"limit": 1, "order": "newest", "cursor": cursor}), 422, "cursor")


def _decisions(client, auth, *decisions):
    return client.post(DECISIONS, json={"decisions": list(decisions)}, headers=auth)


def test_decisions_in_bulk_answer_item_by_item(client, newsrooms):
    a, b = newsrooms
    items = _suggested(client, a.factchecker)
    first, second, third = items
    # Desk B confirms the first at the version read; Desk A then decides the same link at
    # that (now stale) version, the second link, and one that does not exist.
    response = _decisions(client, b.factchecker, {"id": first["id"], "status": "confirmed", "version": first["version"]})
    assert response.status_code == 200, response.json
    assert [(i["outcome"], i["status"]) for i in response.json["items"]] == [("decided", 200)]
    response = _decisions(
        client, a.factchecker,
        {"id": first["id"], "status": "rejected", "version": first["version"]},
        {"id": second["id"], "status": "rejected", "version": second["version"]},
        {"id": 10**9, "status": "confirmed", "version": 1})
    assert response.status_code == 200, response.json
    answers = response.json["items"]
    assert [(i["id"], i["outcome"], i["status"]) for i in answers] == [
        (first["id"], "stale", 412), (second["id"], "decided", 200), (10**9, "not_found", 404)]
    assert answers[1]["link"]["status"] == "rejected" and answers[1]["link"]["decided_by"] == "Desk A factchecker"
    assert answers[0]["link"] is None and answers[0]["detail"]

    # The stale one kept Desk B's decision; the queue holds only the undecided third.
    assert link_between(client, first["claim"]["id"], first["other"]["id"])["status"] == "confirmed"
    assert [i["id"] for i in walk(client, LINKS)] == [third["id"]]
    assert get_claim(client, first["other"]["id"])["group_id"] == first["claim"]["group_id"]

    # Each decision is audited as PATCH /links/{id} audits it, under its own newsroom only.
    seen_by_a = [(e["action"], e["entity_id"]) for e in audit_entries(client, a.editor) if e["entity"] == "claim_link"]
    seen_by_b = [(e["action"], e["entity_id"]) for e in audit_entries(client, b.editor) if e["entity"] == "claim_link"]
    assert seen_by_a == [("link.rejected", second["id"])]
    assert seen_by_b == [("link.confirmed", first["id"])]


def test_a_confirmed_link_shares_the_verdict_across_both_wordings(client, newsrooms):
    a, _ = newsrooms
    first = _suggested(client, a.factchecker)[0]
    post_verdict(client, a.factchecker, first["claim"]["id"], "False")
    response = _decisions(client, a.factchecker, {"id": first["id"], "status": "confirmed", "version": first["version"]})
    assert response.json["items"][0]["outcome"] == "decided"
    for claim_id in (first["claim"]["id"], first["other"]["id"]):
        assert [v["rating"] for v in get_claim(client, claim_id)["verdicts"]] == ["False"]


def test_a_link_decided_twice_in_one_request_is_stale_the_second_time(client, auth):
    first = _suggested(client, auth)[0]
    decision = {"id": first["id"], "version": first["version"]}
    response = _decisions(client, auth, {**decision, "status": "rejected"}, {**decision, "status": "confirmed"})
    assert [i["outcome"] for i in response.json["items"]] == ["decided", "stale"]
    assert client.get(f"{LINKS}/{first['id']}").json["status"] == "rejected"


def test_bulk_decisions_need_a_factchecker(client, newsrooms):
    a, _ = newsrooms
    first = _suggested(client, a.factchecker)[0]
    body = {"id": first["id"], "status": "confirmed", "version": first["version"]}
    assert_problem(_decisions(client, {}, body), 401)
    assert_problem(_decisions(client, a.reader, body), 403)
    assert next(i["id"] for i in walk(client, LINKS)) == first["id"]


@pytest.mark.parametrize("body, field", [
    ({}, "decisions"),
    ({"decisions": []}, "decisions"),
    ({"decisions": [{"id": 1, "status": "maybe", "version": 1}]}, "decisions"),
    ({"decisions": [{"id": 1, "status": "confirmed"}]}, "decisions"),
    ({"decisions": [{"id": n, "status": "confirmed", "version": 1} for n in range(1, 102)]}, "decisions"),
    ({"decisions": [{"id": 1, "status": "confirmed", "version": 1}], "why": "x"}, "why"),
])
def test_bad_bulk_decisions_are_422(client, auth, body, field):
    assert_problem(client.post(DECISIONS, json=body, headers=auth), 422, field)


def test_a_queue_page_takes_the_same_statements_whatever_it_holds(client, auth):
    _suggested(client, auth)
    one, _ = statements_for(client, "GET", LINKS, query_string={"limit": 1})
    every, body = statements_for(client, "GET", LINKS, query_string={"limit": 100})
    assert len(body["items"]) == len(PAIRS)
    assert len(one) == len(every) == 2  # the links with both claims, then their outlets
