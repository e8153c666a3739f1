"""Near-duplicate links: found on every new claim, listed per claim, decided by fact-checkers."""
from datetime import datetime

import pytest

from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    LINKS,
    NEAR_COPY,
    REWORDED,
    UNRELATED,
    assert_problem,
    claim_links,
    create_claim,
    decide_link,
    link_between,
    respaced,
)

SHORT = "Vaccines cause autism in children."


def _pair(link: dict) -> set[int]:
    return {link["claim"]["id"], link["other"]["id"]}


def test_near_copy_is_confirmed_by_the_engine(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)

    link = link_between(client, original["id"], copy["id"])
    assert link["status"] == "confirmed"
    assert link["decided_by"] == "engine"
    assert datetime.fromisoformat(link["decided_at"])
    assert 90 <= link["score"] <= 100
    assert link["scorer"]
    # The lower id first, whichever claim came second.
    assert (link["claim"]["id"], link["other"]["id"]) == (original["id"], copy["id"])
    assert link["claim"]["text"] == BASE_CLAIM and link["other"]["text"] == NEAR_COPY


def test_reworded_claim_is_only_suggested(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)

    link = link_between(client, original["id"], reworded["id"])
    assert link["status"] == "suggested"
    assert link["decided_by"] is None and link["decided_at"] is None
    assert 70 <= link["score"] < 90


def test_unrelated_claim_gets_no_link(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    unrelated = create_claim(client, auth, UNRELATED)
    assert claim_links(client, original["id"]) == []
    assert claim_links(client, unrelated["id"]) == []


def test_short_exact_copy_is_never_auto_confirmed(client, auth):
    first = create_claim(client, auth, SHORT)
    second = create_claim(client, auth, respaced(SHORT))
    link = link_between(client, first["id"], second["id"])
    assert link["status"] == "suggested"
    assert link["score"] == 100
    assert client.get(f"{CLAIMS}/{second['id']}").json["group_id"] != first["group_id"]


def test_third_copy_links_to_both_earlier_claims_once_each(client, auth):
    first = create_claim(client, auth, BASE_CLAIM)
    second = create_claim(client, auth, respaced(BASE_CLAIM))
    third = create_claim(client, auth, NEAR_COPY)
    ids = {first["id"], second["id"], third["id"]}

    for claim_id in ids:
        links = claim_links(client, claim_id)
        assert sorted(tuple(sorted(_pair(link))) for link in links) == sorted(
            tuple(sorted({claim_id, other})) for other in ids - {claim_id})
        assert all(link["claim"]["id"] != link["other"]["id"] for link in links)
        assert all(link["status"] == "confirmed" for link in links)
    every_link = {link["id"] for claim_id in ids for link in claim_links(client, claim_id)}
    assert len(every_link) == 3


def test_a_claim_never_links_to_itself(client, auth):
    claim = create_claim(client, auth, BASE_CLAIM)
    assert claim_links(client, claim["id"]) == []


def test_links_list_most_similar_first_and_paginates(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    copy = create_claim(client, auth, NEAR_COPY)
    create_claim(client, auth, UNRELATED)

    links = claim_links(client, original["id"])
    assert [link["other"]["id"] for link in links] == [copy["id"], reworded["id"]]
    assert links[0]["score"] >= links[1]["score"]

    first = client.get(f"{CLAIMS}/{original['id']}/links", query_string={"limit": 1})
    assert first.status_code == 200
    assert [link["id"] for link in first.json["items"]] == [links[0]["id"]]
    assert first.json["next_cursor"]
    assert first.headers["Link"].endswith('>; rel="next"')
    second = client.get(f"{CLAIMS}/{original['id']}/links",
                        query_string={"limit": 1, "cursor": first.json["next_cursor"]})
    assert [link["id"] for link in second.json["items"]] == [links[1]["id"]]
    assert second.json["next_cursor"] is None


def test_links_of_unknown_claim_is_404(client):
    assert_problem(client.get(f"{CLAIMS}/999999/links"), 404)


@pytest.mark.parametrize("params, field", [
    ({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"cursor": "garbage"}, "cursor"),
    ({"sort": "score"}, "sort"),
])
def test_bad_links_query_is_422(client, auth, params, field):
    claim = create_claim(client, auth, BASE_CLAIM)
    assert_problem(client.get(f"{CLAIMS}/{claim['id']}/links", query_string=params), 422, field)


def test_get_link(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    listed = link_between(client, original["id"], reworded["id"])
    response = client.get(f"{LINKS}/{listed['id']}")
    assert response.status_code == 200
    assert response.json == listed


def test_unknown_link_is_404(client, auth):
    assert_problem(client.get(f"{LINKS}/999999"), 404)
    assert_problem(client.patch(f"{LINKS}/999999", json={"status": "confirmed"}, headers=auth), 404)


@pytest.mark.parametrize("decision", ["confirmed", "rejected"])
def test_factchecker_decides_a_suggested_link(client, auth, decision):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    link = link_between(client, original["id"], reworded["id"])

    decided = decide_link(client, auth, link["id"], decision)
    assert decided["status"] == decision
    assert decided["decided_by"] == "test factchecker"
    assert datetime.fromisoformat(decided["decided_at"])
    assert decided["score"] == link["score"]
    assert client.get(f"{LINKS}/{link['id']}").json == decided
    assert link_between(client, original["id"], reworded["id"]) == decided


def test_factchecker_can_reject_an_engine_confirmed_link(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    link = link_between(client, original["id"], copy["id"])
    decided = decide_link(client, auth, link["id"], "rejected")
    assert (decided["status"], decided["decided_by"]) == ("rejected", "test factchecker")


def test_deciding_needs_a_factchecker(client, auth, reader_auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    link = link_between(client, original["id"], reworded["id"])
    url = f"{LINKS}/{link['id']}"

    assert_problem(client.patch(url, json={"status": "confirmed"}), 401)
    assert_problem(client.patch(url, json={"status": "confirmed"},
                                headers={"Authorization": "Bearer not-a-token"}), 401)
    assert_problem(client.patch(url, json={"status": "confirmed"}, headers=reader_auth), 403)
    assert client.get(url).json["status"] == "suggested"


@pytest.mark.parametrize("body, field", [
    ({"status": "suggested"}, "status"),
    ({"status": "maybe"}, "status"),
    ({"status": None}, "status"),
    ({}, "status"),
    ({"status": "confirmed", "score": 100}, "score"),
    ({"status": "confirmed", "decided_by": "someone else"}, "decided_by"),
])
def test_bad_decision_is_422(client, auth, body, field):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    link = link_between(client, original["id"], reworded["id"])
    assert_problem(client.patch(f"{LINKS}/{link['id']}", json=body, headers=auth), 422, field)
    assert client.get(f"{LINKS}/{link['id']}").json == link


def test_decision_that_is_not_json_is_400(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    link = link_between(client, original["id"], reworded["id"])
    response = client.patch(f"{LINKS}/{link['id']}", data="{not json",
                            content_type="application/json", headers=auth)
    assert_problem(response, 400)


def test_rejected_pair_is_never_suggested_again(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    link = link_between(client, original["id"], reworded["id"])
    decide_link(client, auth, link["id"], "rejected")

    # New wordings link to both, but the rejected pair stays one rejected link.
    create_claim(client, auth, NEAR_COPY)
    create_claim(client, auth, respaced(REWORDED))
    after = link_between(client, original["id"], reworded["id"])
    assert after["id"] == link["id"]
    assert after["status"] == "rejected"
    assert after["decided_by"] == "test factchecker"


# --- configurable thresholds: a second app on the same database (tests/api/conftest.py) ---

def test_auto_threshold_is_configurable(configured_app, client, auth):
    strict = configured_app(MATCH_AUTO_THRESHOLD=100.0)
    lenient = configured_app(MATCH_AUTO_THRESHOLD=75.0)
    original = create_claim(client, auth, BASE_CLAIM)
    with strict.app_context():
        strict_client = strict.test_client()
        copy = create_claim(strict_client, auth, NEAR_COPY)
        assert link_between(strict_client, original["id"], copy["id"])["status"] == "suggested"
    with lenient.app_context():
        lenient_client = lenient.test_client()
        reworded = create_claim(lenient_client, auth, REWORDED)
        link = link_between(lenient_client, original["id"], reworded["id"])
        assert (link["status"], link["decided_by"]) == ("confirmed", "engine")


def test_suggest_threshold_is_configurable(configured_app, client, auth):
    picky = configured_app(MATCH_SUGGEST_THRESHOLD=85.0)
    original = create_claim(client, auth, BASE_CLAIM)
    with picky.app_context():
        picky_client = picky.test_client()
        reworded = create_claim(picky_client, auth, REWORDED)
        copy = create_claim(picky_client, auth, NEAR_COPY)
        assert link_between(picky_client, original["id"], reworded["id"]) is None
        assert link_between(picky_client, original["id"], copy["id"])["status"] == "confirmed"
