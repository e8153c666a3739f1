"""Every error is application/problem+json, whatever raised it."""
import pytest

from tests.api.helpers import CLAIMS, assert_problem, create_claim


@pytest.mark.parametrize("path", [
    "/api/v1/nope", "/api/v1/claims/1/comments", "/nothing-here", "/api/v2/claims",
])
def test_unknown_route_is_404_problem(client, path):
    assert_problem(client.get(path), 404)


@pytest.mark.parametrize("method, path, allowed", [
    ("delete", CLAIMS, {"GET", "POST"}),
    ("put", CLAIMS, {"GET", "POST"}),
    ("post", f"{CLAIMS}/1", {"GET"}),
    ("post", f"{CLAIMS}/contested", {"GET"}),
    ("get", f"{CLAIMS}/1/verdicts", {"POST"}),
    ("delete", "/api/v1/health", {"GET"}),
])
def test_wrong_method_is_405_problem_with_allow(client, auth, method, path, allowed):
    response = getattr(client, method)(path, headers=auth)
    assert_problem(response, 405)
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_body_over_the_limit_is_413_problem(client, auth, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = '{"text": "' + "x" * (limit + 1) + '"}'
    response = client.post(CLAIMS, data=body, content_type="application/json", headers=auth)
    assert_problem(response, 413)
    assert client.get(CLAIMS).json["items"] == []


def test_body_under_the_limit_but_over_the_field_limit_is_422(client, auth):
    assert_problem(client.post(CLAIMS, json={"text": "x" * 100_000}, headers=auth), 422, "text")


def test_wrong_content_type_is_a_client_error(client, auth):
    response = client.post(CLAIMS, data="text=hello", content_type="application/x-www-form-urlencoded",
                           headers=auth)
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json"


def test_problem_has_the_rfc_9457_members(client, auth):
    body = assert_problem(client.post(CLAIMS, json={"text": ""}, headers=auth), 422, "text")
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["errors"]["text"] and all(isinstance(m, str) for m in body["errors"]["text"])


def test_not_found_problem_detail_names_the_id(client, auth):
    create_claim(client, auth)
    body = assert_problem(client.get(f"{CLAIMS}/777"), 404)
    assert "777" in body["detail"]
    assert "errors" not in body
