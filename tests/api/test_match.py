"""POST /api/v1/claims/match: has this text been checked before?"""
import pytest

from factcheck.extensions import db
from tests.api.helpers import (
    BASE_CLAIM,
    MATCH,
    NEAR_COPY,
    UNRELATED,
    add_verdict,
    assert_problem,
    create_claim,
    link_between,
    match,
    respaced,
)
from tests.conftest import make_app

TARGET = "Iran has never won a war, but has never lost a negotiation, Donald Trump said."
TWEET = ("IRAN HAS NEVER WON A WAR, BUT NEVER LOST A NEGOTIATION! https://t.co/x1y2z3 @realDonaldTrump "
         "#IranTalks — Jane Doe (@janedoe_news) January 6, 2020")
# Claims sharing words with the tweet (Iran, Trump, war, negotiation) but saying something else.
DISTRACTORS = [
    "Donald Trump said the war in Afghanistan will be over by Christmas.",
    "Iran holds the world's second largest reserves of natural gas.",
    "The negotiation with North Korea was the first ever between a sitting US president and its leader.",
    "Donald Trump never paid any federal income tax in ten of the last fifteen years.",
    "Iran's supreme leader banned the import of American vaccines in January.",
    UNRELATED,
    BASE_CLAIM,
]


def _store(client, auth, texts) -> list[dict]:
    return [create_claim(client, auth, text) for text in texts]


def test_tweet_finds_the_claim_it_repeats_first(client, auth):
    _store(client, auth, DISTRACTORS[:4])
    target = create_claim(client, auth, TARGET)
    _store(client, auth, DISTRACTORS[4:])
    verdict = add_verdict(client, target["id"], "Mostly True")

    items = match(client, TWEET)
    assert items[0]["claim"]["id"] == target["id"]
    assert items[0]["claim"]["text"] == TARGET
    assert items[0]["claim"]["status"] == "checked"
    assert [v["id"] for v in items[0]["claim"]["verdicts"]] == [verdict["id"]]
    assert items[0]["claim"]["consensus"]["category"] == "true"


def test_results_best_first_with_scores(client, auth):
    stored = _store(client, auth, [TARGET, *DISTRACTORS])
    items = match(client, "Trump: Iran never won a war and never lost a negotiation", limit=50)
    assert items[0]["claim"]["id"] == stored[0]["id"]
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)
    assert all(isinstance(s, float) and 0 < s <= 1 for s in scores)
    assert len({item["claim"]["id"] for item in items}) == len(items)
    # An unchecked claim still answers, with an empty verdict list.
    assert items[0]["claim"]["status"] == "unchecked" and items[0]["claim"]["verdicts"] == []


def test_limit_is_respected(client, auth):
    _store(client, auth, [TARGET, *DISTRACTORS[:5], "Trump wants a war with Iran, his critics say.",
                          "Iran will not talk to Trump while sanctions on its oil stay in place."])
    assert len(match(client, "Trump Iran war negotiation")) == 5  # the default
    assert len(match(client, "Trump Iran war negotiation", limit=3)) == 3
    assert len(match(client, "Trump Iran war negotiation", limit=1)) == 1
    assert len(match(client, "Trump Iran war negotiation", limit=50)) == 8


def test_nothing_stored_or_nothing_in_common_matches_nothing(client, auth):
    assert match(client, TWEET) == []
    create_claim(client, auth, UNRELATED)
    assert match(client, "Quantum zebras juggle marmalade.") == []


def test_one_result_per_group(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    assert link_between(client, original["id"], copy["id"])["status"] == "confirmed"
    verdict = add_verdict(client, copy["id"], "False")
    items = match(client, "Did the governor sign a law cutting public school funding across the state?")
    assert len(items) == 1
    assert items[0]["claim"]["id"] in (original["id"], copy["id"])
    assert [v["id"] for v in items[0]["claim"]["verdicts"]] == [verdict["id"]]


def test_no_token_needed(client, auth):
    create_claim(client, auth, TARGET)
    response = client.post(MATCH, json={"text": TWEET})
    assert response.status_code == 200
    assert len(response.json["items"]) == 1


@pytest.mark.parametrize("body, field", [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"text": None}, "text"),
    ({"text": 42}, "text"),
    ({"text": "x" * 5001}, "text"),
    ({"text": "Iran", "limit": 0}, "limit"),
    ({"text": "Iran", "limit": 51}, "limit"),
    ({"text": "Iran", "limit": "five"}, "limit"),
    ({"text": "Iran", "threshold": 50}, "threshold"),
])
def test_bad_query_is_422(client, body, field):
    assert_problem(client.post(MATCH, json=body), 422, field)


def test_body_that_is_not_json_is_400(client):
    response = client.post(MATCH, data='{"text": ', content_type="application/json")
    assert_problem(response, 400)


# --- several app servers on one database ---

@pytest.fixture
def second_app(app, database_url):
    """Another app instance on the same database, as a second worker or server would be."""
    other = make_app(database_url)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_claim_stored_by_one_app_is_matched_and_linked_by_another(client, auth, second_app):
    original = create_claim(client, auth, BASE_CLAIM)
    target = create_claim(client, auth, TARGET)
    verdict = add_verdict(client, target["id"], "False")

    with second_app.app_context():
        other_client = second_app.test_client()
        found = match(other_client, TWEET)
        assert found[0]["claim"]["id"] == target["id"]
        assert [v["id"] for v in found[0]["claim"]["verdicts"]] == [verdict["id"]]

        copy = create_claim(other_client, auth, NEAR_COPY)
        link = link_between(other_client, original["id"], copy["id"])
        assert (link["status"], link["decided_by"]) == ("confirmed", "engine")
        assert copy["group_id"] == original["id"]

    # And the first app sees what the second one stored.
    assert link_between(client, original["id"], copy["id"])["id"] == link["id"]
    assert match(client, NEAR_COPY)[0]["claim"]["group_id"] == original["id"]


def test_claims_from_both_apps_link_to_each_other(client, auth, second_app):
    with second_app.app_context():
        first = create_claim(second_app.test_client(), auth, BASE_CLAIM)
    second = create_claim(client, auth, NEAR_COPY)
    assert link_between(client, first["id"], second["id"])["status"] == "confirmed"
    with second_app.app_context():
        third = create_claim(second_app.test_client(), auth, respaced(BASE_CLAIM))
        assert {third["group_id"]} == {first["group_id"]} == {first["id"]}
