"""Answers are safe where they are used: JSON-LD pasted into a <script>, every answer nosniff."""
import json

import pytest

from factcheck.services.claims import records as claims
from tests.api.helpers import CLAIMS, add_verdict, create_claim

HOSTILE = 'Vaccines </script><script>alert("x")</script> & <!-- cause > harm'


@pytest.fixture
def hostile_claim(client, auth):
    claim = create_claim(client, auth, HOSTILE, claimant={"name": "</script>&amp;"}, appearances=[
        {"url": "https://example.com/news/1?a=1&b=<2>", "title": "<b>Scoop</b>"}])
    add_verdict(client, claim["id"], "False", site="politifact.com", explanation="</SCRIPT> & more",
                url="https://www.politifact.com/factchecks/1/?x=1&y=2")
    return claim


def _script_safe(response) -> object:
    """The body, which must hold no character that could end or open an HTML element."""
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    raw = response.get_data()
    assert not {b"<", b">", b"&"} & {bytes([c]) for c in raw}, raw
    return json.loads(raw)


def test_claimreview_json_ld_escapes_html_significant_characters(client, hostile_claim):
    (review,) = _script_safe(client.get(f"{CLAIMS}/{hostile_claim['id']}/claimreview"))
    assert review["claimReviewed"] == HOSTILE
    assert review["itemReviewed"]["author"]["name"] == "</script>&amp;"
    assert review["reviewRating"]["ratingExplanation"] == "</SCRIPT> & more"
    assert review["url"] == "https://www.politifact.com/factchecks/1/?x=1&y=2"
    assert review["itemReviewed"]["appearance"][0]["headline"] == "<b>Scoop</b>"


def test_the_datafeed_escapes_them_too(client, hostile_claim):
    feed = _script_safe(client.get("/api/v1/claimreviews"))
    assert [item["claimReviewed"] for item in feed["dataFeedElement"]] == [HOSTILE]


def test_plain_json_keeps_them_as_they_are(client, hostile_claim):
    response = client.get(f"{CLAIMS}/{hostile_claim['id']}")
    assert HOSTILE.encode() in response.get_data().replace(b'\\"', b'"')


@pytest.mark.parametrize("method, path", [
    ("get", CLAIMS), ("get", f"{CLAIMS}/1"), ("get", f"{CLAIMS}/999"), ("get", "/api/v1/claimreviews"),
    ("get", "/api/v1/health"), ("get", "/api/v1/openapi.json"), ("get", "/api/v1/docs"),
    ("get", "/api/v1/docs/assets/swagger-ui.css"), ("get", "/nothing-here"), ("delete", CLAIMS),
    ("post", CLAIMS), ("get", "/api/v1/claims:search?query=moon"),
])
def test_every_answer_says_nosniff(client, hostile_claim, method, path):
    response = getattr(client, method)(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff", (response.status_code, path)


def test_an_unexpected_error_says_nosniff_too(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(claims, "list_claims", broken)
    response = client.get(CLAIMS)
    assert response.status_code == 500
    assert response.headers["X-Content-Type-Options"] == "nosniff"
