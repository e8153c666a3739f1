"""No input is a 500: each is a 4xx problem naming what was wrong, and nothing is stored."""
import base64
import json

import pytest

from tests.api.helpers import (
    CLAIMS,
    add_verdict,
    assert_problem,
    create_claim,
    get_claim,
    publisher_auth,
    verdict,
)
from tests.api.newsrooms import VERDICTS, patch_verdict

SURROGATE = '"\\ud800"'  # a JSON escape of a lone surrogate, as a client can send it
TOO_BIG = [2**31, 2**40, 2**63, 10**30]


def post_raw(client, path: str, body: str, headers: dict, content_type: str | None = "application/json"):
    return client.post(path, data=body.encode(), headers={**headers, **(
        {"Content-Type": content_type} if content_type else {})})


def cursor(*key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


# --- lone surrogates ---
@pytest.mark.parametrize("body, field", [
    (f'{{"text": "The moon is made of cheese {SURROGATE[1:-1]}."}}', ["text"]),
    (f'{{"text": "The moon is made of cheese.", "claimant": {{"name": {SURROGATE}}}}}', ["claimant", "name"]),
    ((f'{{"text": "The moon is made of cheese.", "appearances": [{{"url": "https://example.com/a", '
      f'"quote": {SURROGATE}}}]}}'), ["appearances", "0", "quote"]),
])
def test_a_lone_surrogate_in_a_body_is_422_naming_the_field(client, auth, body, field):
    problem = assert_problem(post_raw(client, CLAIMS, body, auth), 422, field[0])
    errors = problem["errors"]
    for key in field:
        errors = errors[key]
    assert "Unicode" in errors[0]
    assert client.get(CLAIMS).json["items"] == []


def test_a_lone_surrogate_in_a_key_is_422(client, auth):
    body = f'{{"text": "The moon is made of cheese.", {SURROGATE}: 1}}'
    problem = assert_problem(post_raw(client, CLAIMS, body, auth), 422)
    assert list(problem["errors"]) == ["\\ud800"]


def test_a_lone_surrogate_in_a_verdict_a_patch_or_an_import_is_422(client, auth):
    claim = create_claim(client, auth)
    desk = publisher_auth("example.org")
    body = json.dumps(verdict("False", "example.org")).replace('"False"', SURROGATE)
    assert_problem(post_raw(client, f"{CLAIMS}/{claim['id']}/verdicts", body, desk), 422, "rating")
    published = add_verdict(client, claim["id"], "False", site="example.org")
    url = f"{VERDICTS}/{published['id']}"
    headers = {**desk, "If-Match": client.get(url).headers["ETag"]}
    response = client.patch(url, data=f'{{"explanation": {SURROGATE}}}', headers=headers,
                            content_type="application/json")
    assert_problem(response, 422, "explanation")
    review = f'{{"@type": "ClaimReview", "url": "https://fact.example.org/1", "claimReviewed": {SURROGATE}}}'
    assert_problem(post_raw(client, "/api/v1/claimreviews/import", review, auth), 422, "claimReviewed")
    assert client.get("/api/v1/claimreviews").json["dataFeedElement"] != []  # only the valid verdict


def test_surrogate_pairs_are_text_like_any_other(client, auth):
    body = '{"text": "The moon is made of cheese \\ud83e\\uddc0."}'
    response = post_raw(client, CLAIMS, body, auth)
    assert response.status_code == 201, response.json
    assert response.json["text"] == "The moon is made of cheese \U0001f9c0."


@pytest.mark.parametrize("query", [b"q=%ED%A0%80", b"q=caf%E9", b"q=caf\xe9", b"limit=5&claimant=%FF"])
def test_a_query_string_that_is_not_utf8_is_400_naming_the_parameter(client, query):
    response = client.get(CLAIMS, environ_overrides={"QUERY_STRING": query.decode("latin-1")})
    problem = assert_problem(response, 400)
    assert set(problem["errors"]) <= {"q", "claimant"} and problem["errors"]


def test_a_path_that_is_not_utf8_is_404(client):
    assert_problem(client.get("/api/v1/claims/%ED%A0%80"), 404)


# --- nesting ---
@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_json_nested_too_deep_is_400(client, auth, depth):
    body = '{"text": ' + "[" * depth + "]" * depth + "}"
    problem = assert_problem(post_raw(client, CLAIMS, body, auth), 400)
    assert "nested deeper than 32 levels" in problem["detail"]
    assert_problem(post_raw(client, f"{CLAIMS}/match", "[" * depth + "]" * depth, {}), 400)


def test_nesting_under_the_limit_is_read_as_usual(client, auth):
    body = '{"text": ' + "[" * 20 + "]" * 20 + "}"
    assert_problem(post_raw(client, CLAIMS, body, auth), 422, "text")


# --- media types ---
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/xml"])
def test_a_json_body_without_a_json_content_type_is_415(client, auth, content_type):
    body = json.dumps({"text": "The moon is made of cheese."})
    problem = assert_problem(post_raw(client, CLAIMS, body, auth, content_type), 415)
    assert "Content-Type: application/json" in problem["detail"]
    assert client.get(CLAIMS).json["items"] == []


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/ld+json",
                                          "APPLICATION/JSON"])
def test_json_media_types_are_read(client, auth, content_type):
    body = json.dumps({"text": "The moon is made of cheese."})
    assert post_raw(client, CLAIMS, body, auth, content_type).status_code == 201


def test_a_body_with_a_byte_order_mark_is_read(client, auth):
    body = "\ufeff" + json.dumps({"text": "The moon is made of cheese."})
    assert post_raw(client, CLAIMS, body, auth).status_code == 201


def test_a_body_that_is_not_utf8_is_400(client, auth):
    response = client.post(CLAIMS, data='{"text": "caf\xe9"}'.encode("latin-1"), headers=auth,
                           content_type="application/json")
    assert_problem(response, 400)


# --- cursors and ids ---
LISTS = [CLAIMS, f"{CLAIMS}/contested", "/api/v1/webhooks", "/api/v1/audit", "/api/v1/tokens",
         "/api/v1/claimreviews"]


@pytest.mark.parametrize("key", [[n] for n in TOO_BIG] + [[0.5, n] for n in TOO_BIG] + [[-1], [True]])
def test_cursors_with_ids_out_of_range_are_422(client, admin_auth, key):
    claim = create_claim(client, admin_auth)
    for path in [*LISTS, f"{CLAIMS}/{claim['id']}/links"]:
        response = client.get(path, query_string={"cursor": cursor(*key)}, headers=admin_auth)
        assert_problem(response, 422, "cursor")


@pytest.mark.parametrize("moment", [
    "2026-01-01T00:00:00",  # naive
    "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
    "2026-02-30T00:00:00+00:00",  # no such day
    "yesterday", 17, None,
])
def test_feed_cursors_with_naive_or_impossible_dates_are_422(client, moment):
    response = client.get("/api/v1/claimreviews", query_string={"cursor": cursor(moment, 1)})
    assert_problem(response, 422, "cursor")


@pytest.mark.parametrize("key", ["\x00", "reuters\x00", "\ud800", "a\udfffb"])
def test_directory_cursors_with_text_no_database_can_compare_are_422(client, auth, key):
    # The claimant and outlet directories page by name and domain: text a NUL (PostgreSQL)
    # or a lone surrogate (any driver) in the cursor's key cannot be compared with.
    create_claim(client, auth)
    token = base64.urlsafe_b64encode(json.dumps([key]).encode()).decode().rstrip("=")
    for path in ("/api/v1/claimants", "/api/v1/outlets"):
        assert_problem(client.get(path, query_string={"cursor": token}), 422, "cursor")


@pytest.mark.parametrize("n", TOO_BIG)
def test_page_tokens_with_ids_out_of_range_are_422(client, n):
    for query, token in [({"query": "moon"}, cursor(0.5, n)),
                         ({"reviewPublisherSiteFilter": "example.org"}, cursor(n))]:
        response = client.get("/api/v1/claims:search", query_string={**query, "pageToken": token})
        assert_problem(response, 422, "pageToken")


@pytest.mark.parametrize("n", TOO_BIG)
def test_path_ids_out_of_range_are_404(client, admin_auth, n):
    for path in [f"{CLAIMS}/{n}", f"{CLAIMS}/{n}/links", f"{CLAIMS}/{n}/history", f"{CLAIMS}/{n}/claimreview",
                 f"{VERDICTS}/{n}", f"/api/v1/links/{n}", f"/api/v1/webhooks/{n}/deliveries"]:
        assert_problem(client.get(path, headers=admin_auth), 404)
    assert_problem(client.patch(f"{VERDICTS}/{n}", json={"status": "withdrawn"},
                                headers={**admin_auth, "If-Match": '"1"'}), 404)
    assert_problem(client.post(f"{CLAIMS}/{n}/verdicts", json=verdict("False"), headers=admin_auth), 404)


@pytest.mark.parametrize("n", TOO_BIG)
def test_body_ids_out_of_range_are_422(client, admin_auth, n):
    body = {"url": "https://hooks.example.org/in", "claim_ids": [n]}
    assert_problem(client.post("/api/v1/webhooks", json=body, headers=admin_auth), 422, "claim_ids")


# --- numeric ratings ---
def test_a_patch_that_takes_a_rating_off_its_scale_is_422(client, auth):
    claim = create_claim(client, auth)
    created = add_verdict(client, claim["id"], "Four stars", site="example.org", rating_value=4, best_rating=5,
                          worst_rating=1)
    desk = publisher_auth("example.org")
    for changes, field in [({"rating_value": 6}, "rating_value"), ({"worst_rating": 5}, "best_rating"),
                           ({"best_rating": 3}, "rating_value")]:
        assert_problem(patch_verdict(client, desk, created["id"], **changes), 422, field)
    (stored,) = get_claim(client, claim["id"])["verdicts"]
    assert (stored["rating_value"], stored["best_rating"], stored["worst_rating"]) == (4, 5, 1)
    assert patch_verdict(client, desk, created["id"], rating_value=2).status_code == 200


@pytest.mark.parametrize("key", ["a\x00b", "caf\xe9", "tab\there"])
def test_an_idempotency_key_that_is_not_printable_ascii_is_400(client, auth, key):
    response = client.post(CLAIMS, json={"text": "The moon is made of cheese."},
                           headers={**auth, "Idempotency-Key": key})
    assert_problem(response, 400, "Idempotency-Key")
    assert client.get(CLAIMS).json["items"] == []
