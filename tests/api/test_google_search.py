"""Google Fact Check Tools' claims:search, in its shape and through its own client (issue 6)."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from werkzeug.serving import make_server

from tests.api.helpers import add_verdict, assert_problem, create_claim

SEARCH = "/api/v1/claims:search"
ALPHA = "/api/v1alpha1/claims:search"
LATAKIA = "Israel informed Russia of the Latakia airstrike in advance."
SHIELD = "An Israeli pilot used the Russian reconnaissance plane as a shield."
SCHOOLS = "The governor signed a law that cuts funding for every public school in the state."


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


@pytest.fixture
def reviewed(client, auth) -> dict:
    """Three reviewed claims, one unreviewed; reviews from two publishers at several ages."""
    latakia = create_claim(client, auth, LATAKIA, claimant={"name": "Israel Defense Forces"}, appearances=[
        {"url": "https://example.com/news/il20", "published_at": "2018-09-24T10:00:00Z"}])
    add_verdict(client, latakia["id"], "Mostly True", site="politifact.com", name="PolitiFact",
                url="https://www.politifact.com/factchecks/latakia/", review_date=ago(400))
    add_verdict(client, latakia["id"], "Mixture", site="factcheck.afp.com", name="AFP Fact Check",
                url="https://factcheck.afp.com/latakia", review_date=ago(5))
    shield = create_claim(client, auth, SHIELD, language="ru")
    add_verdict(client, shield["id"], "False", site="snopes.com", name="Snopes",
                url="https://www.snopes.com/fact-check/shield/", review_date=ago(3))
    schools = create_claim(client, auth, SCHOOLS, language="en-GB")
    add_verdict(client, schools["id"], "Half True", site="politifact.com", name="PolitiFact",
                url="https://www.politifact.com/factchecks/schools/", review_date=ago(1))
    create_claim(client, auth, "Israel warned Russia about the airstrike on Latakia one minute before.")
    return {"latakia": latakia, "shield": shield, "schools": schools}


def search(client, path: str = SEARCH, **params) -> dict:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.json


def test_answers_in_googles_shape_best_match_first(client, reviewed):
    body = search(client, query="Did Israel warn Russia before the Latakia airstrike?")
    assert "nextPageToken" not in body
    first = body["claims"][0]
    assert first["text"] == LATAKIA
    assert first["claimant"] == "Israel Defense Forces"
    assert first["claimDate"] == "2018-09-24T10:00:00Z"
    assert [r["textualRating"] for r in first["claimReview"]] == ["Mixture", "Mostly True"]  # newest first
    afp = first["claimReview"][0]
    assert afp["publisher"] == {"name": "AFP Fact Check", "site": "factcheck.afp.com"}
    assert afp["url"] == "https://factcheck.afp.com/latakia"
    assert afp["languageCode"] == "en" and afp["reviewDate"].endswith("Z")
    # Only reviewed claims answer: the unchecked wording about Latakia is not there.
    assert all(claim["claimReview"] for claim in body["claims"])
    assert "one minute before" not in str(body)


def test_publisher_site_filter_without_a_query(client, reviewed):
    body = search(client, reviewPublisherSiteFilter="politifact.com")
    assert [c["text"] for c in body["claims"]] == [SCHOOLS, LATAKIA]  # most recently reviewed first
    assert {r["publisher"]["site"] for c in body["claims"] for r in c["claimReview"]} == {"politifact.com"}
    # A site covers its subdomains.
    assert [c["text"] for c in search(client, reviewPublisherSiteFilter="afp.com")["claims"]] == [LATAKIA]


def test_language_and_age_filters(client, reviewed):
    english = search(client, query="Latakia airstrike pilot shield school funding", languageCode="en-US")
    assert {c["text"] for c in english["claims"]} == {LATAKIA, SCHOOLS}
    russian = search(client, query="Russian plane shield", languageCode="ru")
    assert [c["text"] for c in russian["claims"]] == [SHIELD]
    recent = search(client, reviewPublisherSiteFilter="politifact.com", maxAgeDays=30)
    assert [c["text"] for c in recent["claims"]] == [SCHOOLS]
    afp_or_older = search(client, query="Latakia airstrike", maxAgeDays=30)["claims"]
    assert [r["textualRating"] for r in afp_or_older[0]["claimReview"]] == ["Mixture"]


@pytest.mark.parametrize("params", [{"reviewPublisherSiteFilter": "politifact.com"},
                                    {"query": "Latakia Russian pilot school funding"}])
def test_pages_follow_next_page_token(client, reviewed, params):
    everything = [c["text"] for c in search(client, **params)["claims"]]
    seen, token = [], None
    while True:
        response = client.get(SEARCH, query_string={**params, "pageSize": 1, **({"pageToken": token} if token else {})})
        body = response.json
        seen.extend(c["text"] for c in body["claims"])
        token = body.get("nextPageToken")
        if not token:
            assert "Link" not in response.headers
            break
        assert f"pageToken={token}" in response.headers["Link"]
    assert seen == everything and len(seen) >= 2
    assert [c["text"] for c in search(client, **params, offset=1)["claims"]] == everything[1:]


def test_googles_path_takes_key_and_alt_and_answers_the_same(client, reviewed):
    google = search(client, ALPHA, query="Latakia airstrike", key="any", alt="json", prettyPrint="false",
                    quotaUser="desk", fields="claims", **{"$.xgafv": "2"})
    assert google == search(client, query="Latakia airstrike")


@pytest.mark.parametrize("path", [SEARCH, ALPHA])
@pytest.mark.parametrize("params, field", [
    ({"query": "x", "limit": 5}, "limit"),
    ({"query": "x", "alt": "proto"}, "alt"),
    ({"query": "x", "callback": "f"}, "callback"),
    ({"languageCode": "en"}, "query"),
    ({"query": "x", "pageSize": 101}, "pageSize"),
    ({"query": "x", "pageToken": "nonsense"}, "pageToken"),
    ({"reviewPublisherSiteFilter": "not a site"}, "reviewPublisherSiteFilter"),
])
def test_bad_parameters_are_422_problems(client, path, params, field):
    response = client.get(path, query_string=params)
    body = assert_problem(response, 422)
    assert field in body.get("errors", {}), body


def test_googles_own_client_searches_a_running_instance(app, client, reviewed):
    """google-api-python-client with its bundled discovery document, over real HTTP."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        service = build("factchecktools", "v1alpha1", developerKey="test", static_discovery=True,
                        client_options={"api_endpoint": f"http://127.0.0.1:{server.server_port}/api/"})
        claims = service.claims()
        request = claims.search(query="Did Israel warn Russia before the Latakia airstrike? And school funding?",
                                languageCode="en", pageSize=1)
        assert request.uri.startswith(f"http://127.0.0.1:{server.server_port}/api/v1alpha1/claims:search?")
        assert "key=test" in request.uri and "alt=json" in request.uri
        first = request.execute()
        assert first["claims"][0]["text"] == LATAKIA
        assert first["claims"][0]["claimReview"][0]["publisher"]["site"] == "factcheck.afp.com"
        texts, page = [LATAKIA], claims.search_next(request, first)
        while page is not None:  # the client follows nextPageToken itself
            answer = page.execute()
            texts.extend(claim["text"] for claim in answer["claims"])
            page = claims.search_next(page, answer)
        assert texts == [LATAKIA, SCHOOLS]  # SHIELD is in Russian
        with pytest.raises(HttpError) as error:
            claims.search(pageSize=5).execute()  # neither query nor reviewPublisherSiteFilter
        assert error.value.resp.status == 422
    finally:
        server.shutdown()
        thread.join()
