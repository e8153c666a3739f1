"""Adding sources to a claim: POST /api/v1/claims/{id}/appearances."""
import pytest

from tests.api.helpers import CLAIMS, add_appearance, appearance, assert_problem, create_claim, get_claim


def test_add_appearance_returns_201_and_shows_on_the_claim(client, auth):
    claim = create_claim(client, auth)
    response = client.post(f"{CLAIMS}/{claim['id']}/appearances", json=appearance(
        "https://www.reuters.com/world/1", title="Report", quote="the moon is cheese",
        claimant={"name": "A Farmer"}, stance="asserts", published_at="2018-09-26T12:00:00+02:00",
    ), headers=auth)
    assert response.status_code == 201
    body = response.json
    assert body["url"] == "https://reuters.com/world/1"
    assert body["outlet"] == {"name": "reuters.com", "domain": "reuters.com"}
    assert body["stance"] == "asserts"
    assert body["claimant"]["name"] == "A Farmer"
    assert body["published_at"].startswith("2018-09-26T10:00:00")
    assert get_claim(client, claim["id"])["appearances"] == [body]


def test_added_appearance_defaults_to_reports(client, auth):
    claim = create_claim(client, auth)
    assert add_appearance(client, auth, claim["id"])["stance"] == "reports"
    assert get_claim(client, claim["id"])["status"] == "unchecked"


def test_a_denying_source_makes_an_asserted_claim_contested(client, auth):
    claim = create_claim(client, auth, appearances=[
        appearance("https://ria.ru/1", claimant={"name": "Russia"}, stance="asserts")])
    assert get_claim(client, claim["id"])["status"] == "unchecked"

    add_appearance(client, auth, claim["id"], url="https://www.timesofisrael.com/1",
                   claimant={"name": "Israel"}, stance="denies")
    shown = get_claim(client, claim["id"])
    assert shown["status"] == "contested"
    assert shown["contested_because"] == ["sources_disagree"]
    assert [c["id"] for c in client.get(f"{CLAIMS}/contested").json["items"]] == [claim["id"]]


def test_reporting_sources_do_not_contest(client, auth):
    claim = create_claim(client, auth, appearances=[appearance(stance="asserts")])
    add_appearance(client, auth, claim["id"], url="https://example.org/2", stance="reports")
    assert get_claim(client, claim["id"])["status"] == "unchecked"


def test_appearance_on_unknown_claim_is_404(client, auth):
    assert_problem(client.post(f"{CLAIMS}/4242/appearances", json=appearance(), headers=auth), 404)


@pytest.mark.parametrize("body, field", [
    ({}, "url"),
    ({"url": "nope"}, "url"),
    ({"url": "https://example.com/", "stance": "agrees"}, "stance"),
    ({"url": "https://example.com/", "id": 5}, "id"),
    ({"url": "https://example.com/", "claim_id": 5}, "claim_id"),
])
def test_invalid_appearance_is_422(client, auth, body, field):
    claim = create_claim(client, auth)
    assert_problem(client.post(f"{CLAIMS}/{claim['id']}/appearances", json=body, headers=auth), 422, field)
    assert get_claim(client, claim["id"])["appearances"] == []


def test_appearance_needs_a_factchecker(client, auth, reader_auth):
    claim = create_claim(client, auth)
    url = f"{CLAIMS}/{claim['id']}/appearances"
    assert_problem(client.post(url, json=appearance()), 401)
    assert_problem(client.post(url, json=appearance(), headers=reader_auth), 403)
    assert get_claim(client, claim["id"])["appearances"] == []
