"""The console without a browser: entry points, the session cookie, CSRF, roles and the secret key."""
import re

import pytest

from factcheck.console.secret import instance_secret
from tests.api.helpers import BASE_CLAIM, LINKS, REWORDED, create_claim
from tests.api.newsrooms import post_verdict
from tests.conftest import bearer

CONSOLE = "/console/"


def signed_in(client, headers: dict) -> str:
    """Sign the test client in with the token of `headers`; the CSRF token of its session."""
    page = client.get("/console/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    secret = headers["Authorization"].removeprefix("Bearer ")
    response = client.post("/console/sign-in", data={"token": secret, "csrf_token": csrf, "next": CONSOLE})
    assert response.status_code == 303 and response.headers["Location"] == CONSOLE
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(CONSOLE).get_data(as_text=True)).group(1)


def test_the_root_leads_to_the_console_and_the_api_root_to_its_docs(client):
    assert client.get("/").headers["Location"] == CONSOLE
    assert client.get("/api/v1/").headers["Location"] == "/api/v1/docs"
    assert client.get(CONSOLE).headers["Location"].startswith("/console/sign-in?next=")
    spec = client.get("/api/v1/openapi.json").json
    assert "Has this been checked?" in spec["info"]["description"]
    assert "/console/" in spec["info"]["description"]
    assert {"get"} == set(spec["paths"]["/api/v1/links"])
    assert spec["paths"]["/api/v1/links/decisions"]["post"]["security"] == [{"bearerAuth": []}]


def test_the_session_cookie_holds_no_token_and_is_secure_under_https(app):
    client = app.test_client()
    headers = bearer("factchecker")
    signed_in(client, headers)
    cookie = client.get_cookie("factcheck_console")
    assert headers["Authorization"].split()[1] not in cookie.value
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    https = app.test_client()
    page = https.get("/console/sign-in", base_url="https://localhost")
    assert "Secure" in page.headers["Set-Cookie"] and "HttpOnly" in page.headers["Set-Cookie"]


def test_next_after_sign_in_never_leaves_the_console(client):
    page = client.get("/console/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    secret = bearer("reader")["Authorization"].split()[1]
    for elsewhere in ("https://evil.example.org/console/", "//evil.example.org/console/", "/api/v1/audit"):
        response = client.post("/console/sign-in", data={"token": secret, "csrf_token": csrf, "next": elsewhere})
        assert response.headers["Location"] == CONSOLE
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(CONSOLE).get_data(as_text=True)).group(1)


def test_posts_need_the_sessions_csrf_token(client, auth):
    create_claim(client, auth, BASE_CLAIM)
    create_claim(client, auth, REWORDED)
    link = client.get(LINKS).json["items"][0]
    csrf = signed_in(client, auth)
    url = f"/console/links/{link['id']}"
    for form in ({}, {"csrf_token": "guessed"}, {"csrf_token": csrf[:-1]}):
        response = client.post(url, data={"decision": "confirm", "version": link["version"], **form})
        assert response.status_code == 400
        assert response.mimetype == "text/html"
    assert client.get(LINKS).json["items"][0]["status"] == "suggested"
    response = client.post(url, data={"decision": "confirm", "version": link["version"], "csrf_token": csrf})
    assert response.status_code == 303
    assert client.get(LINKS).json["items"] == []


def test_readers_may_look_but_not_decide(client, auth):
    create_claim(client, auth, BASE_CLAIM)
    create_claim(client, auth, REWORDED)
    link = client.get(LINKS).json["items"][0]
    csrf = signed_in(client, bearer("reader"))
    assert "1 suggested link waiting" in client.get(CONSOLE).get_data(as_text=True)
    response = client.post(f"/console/links/{link['id']}",
                           data={"decision": "reject", "version": link["version"], "csrf_token": csrf})
    assert response.status_code == 403 and "factchecker" in response.get_data(as_text=True)
    assert client.get(LINKS).json["items"][0]["status"] == "suggested"


def test_a_stale_decision_says_so_and_changes_nothing(client, auth):
    create_claim(client, auth, BASE_CLAIM)
    create_claim(client, auth, REWORDED)
    link = client.get(LINKS).json["items"][0]
    csrf = signed_in(client, auth)
    data = {"decision": "confirm", "version": link["version"], "csrf_token": csrf}
    assert client.post(f"/console/links/{link['id']}", data=data).status_code == 303
    data["decision"] = "reject"
    page = client.post(f"/console/links/{link['id']}", data=data, follow_redirects=True).get_data(as_text=True)
    assert "changed since you read it" in page
    assert client.get(f"{LINKS}/{link['id']}").json["status"] == "confirmed"


def test_a_verdict_form_with_a_bad_field_is_shown_again(client, newsrooms):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker)
    csrf = signed_in(client, a.factchecker)
    response = client.post(f"/console/claims/{claim['id']}/verdicts",
                           data={"rating": "False", "url": "not a url", "csrf_token": csrf})
    assert response.status_code == 422
    assert "Not a valid URL." in response.get_data(as_text=True)
    assert client.get(f"/api/v1/claims/{claim['id']}").json["verdicts"] == []


def test_a_newsroom_cannot_publish_or_withdraw_anothers_verdict(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    draft = post_verdict(client, b.factchecker, claim["id"], "Pants on Fire", status="draft")
    published = post_verdict(client, b.factchecker, claim["id"], "True")
    csrf = signed_in(client, a.factchecker)
    page = client.get(f"/console/claims/{claim['id']}").get_data(as_text=True)
    assert "Pants on Fire" not in page and "Withdraw" not in page
    for verdict, status, refused in ((draft, "published", 404), (published, "withdrawn", 403)):
        response = client.post(f"/console/verdicts/{verdict['id']}",
                               data={"status": status, "version": verdict["version"], "csrf_token": csrf})
        assert response.status_code == refused
    assert [v["rating"] for v in client.get(f"/api/v1/claims/{claim['id']}").json["verdicts"]] == ["True"]


def test_the_rating_preview_normalises_as_verdicts_are(client, auth):
    signed_in(client, auth)
    assert client.get("/console/rating-preview", query_string={"rating": "Mostly False"}).json == {
        "score": 0.25, "category": "false"}
    assert client.get("/console/rating-preview", query_string={"rating": "Pants on Fire",
                                                                "publisher_site": "politifact.com"}).json == {
        "score": 0.0, "category": "false"}
    assert client.get("/console/rating-preview", query_string={"rating": ""}).json == {}


def test_an_unknown_claim_is_a_404_page(client, auth):
    signed_in(client, auth)
    response = client.get("/console/claims/999999")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("workers", [1, 3])
def test_the_secret_key_is_made_once_and_kept(tmp_path, workers):
    keys = {instance_secret(str(tmp_path)) for _ in range(workers)}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_withdrawing_a_verdict_takes_a_reason_shown_beside_it(client, newsrooms):
    a, _b = newsrooms
    claim = create_claim(client, a.factchecker)
    published = post_verdict(client, a.factchecker, claim["id"], "False")
    csrf = signed_in(client, a.factchecker)
    form = {"status": "withdrawn", "version": published["version"], "csrf_token": csrf}
    assert client.post(f"/console/verdicts/{published['id']}", data=form).status_code == 422
    assert client.get(f"/api/v1/verdicts/{published['id']}").json["status"] == "published"

    done = client.post(f"/console/verdicts/{published['id']}", data={**form, "reason": "Misread the budget."})
    assert done.status_code == 303
    page = client.get(f"/console/claims/{claim['id']}").get_data(as_text=True)
    assert "Withdrawn: Misread the budget." in page
    assert "Desk A factchecker, Desk A" in page  # the history names who
