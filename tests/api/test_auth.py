"""Writes need a bearer token with the factchecker role; reads are open."""
import pytest

from tests.api.helpers import CLAIMS, appearance, assert_problem, create_claim, verdict
from tests.conftest import bearer

VALID = {"text": "A claim worth checking.", "appearances": [appearance()]}


def _writes(claim_id: int) -> list[tuple[str, dict]]:
    return [
        (CLAIMS, VALID),
        (f"{CLAIMS}/{claim_id}/appearances", appearance("https://example.org/x")),
        (f"{CLAIMS}/{claim_id}/verdicts", verdict("True")),
    ]


def _state(client, claim_id: int):
    claim = client.get(f"{CLAIMS}/{claim_id}").json
    return len(client.get(CLAIMS).json["items"]), len(claim["appearances"]), len(claim["verdicts"])


def test_no_token_is_401_with_www_authenticate(client, auth):
    claim = create_claim(client, auth)
    before = _state(client, claim["id"])
    for url, body in _writes(claim["id"]):
        response = client.post(url, json=body)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _state(client, claim["id"]) == before


@pytest.mark.parametrize("header", [
    "Bearer fc_not-a-real-token",
    "Bearer ",
    "Bearer",
    "Basic dXNlcjpwYXNz",
    "fc_not-a-real-token",
    "Bearer \u00e9t\u00e9",
])
def test_wrong_token_is_401(client, auth, header):
    claim = create_claim(client, auth)
    before = _state(client, claim["id"])
    for url, body in _writes(claim["id"]):
        response = client.post(url, json=body, headers={"Authorization": header})
        assert_problem(response, 401)
        assert "WWW-Authenticate" in response.headers
    assert _state(client, claim["id"]) == before


def test_reader_token_is_403(client, auth, reader_auth):
    claim = create_claim(client, auth)
    before = _state(client, claim["id"])
    for url, body in _writes(claim["id"]):
        assert_problem(client.post(url, json=body, headers=reader_auth), 403)
    assert _state(client, claim["id"]) == before


def test_scheme_is_case_insensitive(client, auth):
    secret = auth["Authorization"].split(" ", 1)[1]
    response = client.post(CLAIMS, json=VALID, headers={"Authorization": f"bearer {secret}"})
    assert response.status_code == 201


@pytest.mark.parametrize("role", ["admin", "operator"])
def test_higher_roles_may_do_what_a_factchecker_may(client, app, role):
    response = client.post(CLAIMS, json=VALID, headers=bearer(role))
    assert response.status_code == 201


def test_reads_need_no_token(client, auth):
    claim = create_claim(client, auth)
    assert client.get(CLAIMS).status_code == 200
    assert client.get(f"{CLAIMS}/{claim['id']}").status_code == 200
    assert client.get(f"{CLAIMS}/contested").status_code == 200
    assert client.get("/api/v1/health").status_code == 200


def test_unauthenticated_write_is_401_whatever_the_body(client):
    """Nobody learns how the API validates input before showing a token."""
    assert_problem(client.post(CLAIMS, json={"bogus": True}), 401)
    assert_problem(client.post(CLAIMS, data="{not json", content_type="application/json"), 401)
