"""Recording claims and reading them back: POST/GET /api/v1/claims."""
import pytest

from tests.api.helpers import CLAIMS, appearance, assert_problem, create_claim, get_claim

# --- POST /claims: success -----------------------------------------------------

def test_create_returns_201_location_and_the_claim(client, auth):
    response = client.post(CLAIMS, json={
        "text": "Russia will provide Syria with S-300s.",
        "claimant": {"name": "Sergei Shoigu"},
        "language": "en-GB",
        "appearances": [appearance(
            "https://www.breitbart.com/middle-east/2018/09/26/ties/",
            outlet={"name": "Breitbart News", "domain": "breitbart.com"},
            title="Netanyahu: ties to be restored",
            quote="Russia will provide Syria with S-300s",
            claimant={"name": "Sergei Shoigu"},
            stance="asserts",
            published_at="2018-09-26T12:00:00Z",
        )],
    }, headers=auth)

    assert response.status_code == 201
    claim = response.json
    assert response.headers["Location"].endswith(f"/api/v1/claims/{claim['id']}")
    assert claim["text"] == "Russia will provide Syria with S-300s."
    assert claim["language"] == "en-GB"
    assert claim["claimant"]["name"] == "Sergei Shoigu"
    assert claim["status"] == "unchecked"
    assert claim["consensus"] is None
    assert claim["verdicts"] == []
    (shown,) = claim["appearances"]
    # Stored in its canonical form (identity.canonical_url).
    assert shown["url"] == "https://breitbart.com/middle-east/2018/09/26/ties"
    assert shown["outlet"] == {"name": "Breitbart News", "domain": "breitbart.com"}
    assert shown["title"] == "Netanyahu: ties to be restored"
    assert shown["quote"] == "Russia will provide Syria with S-300s"
    assert shown["claimant"]["name"] == "Sergei Shoigu"
    assert shown["stance"] == "asserts"
    assert shown["published_at"].startswith("2018-09-26T12:00:00")

    # The Location names the claim as stored.
    assert client.get(response.headers["Location"]).json == claim


def test_create_detects_language_and_defaults_stance_and_outlet(client, auth):
    claim = create_claim(client, auth, appearances=[appearance("https://www.Example.COM/story?id=7")])

    assert (claim["language"], claim["language_source"]) == ("en", "detected")
    assert claim["claimant"] is None
    (shown,) = claim["appearances"]
    assert shown["stance"] == "reports"
    # Derived from the url, without the www.
    assert shown["outlet"] == {"name": "example.com", "domain": "example.com"}


def test_outlet_domain_is_derived_when_only_a_name_is_given(client, auth):
    claim = create_claim(client, auth, appearances=[
        appearance("https://www.lemonde.fr/article", outlet={"name": "Le Monde"})])
    assert claim["appearances"][0]["outlet"] == {"name": "Le Monde", "domain": "lemonde.fr"}


def test_text_is_kept_without_surrounding_whitespace(client, auth):
    claim = create_claim(client, auth, text="  Fifteen crew members were killed.\n")
    assert claim["text"] == "Fifteen crew members were killed."


def test_same_url_is_one_article(client, auth):
    url = "https://www.example.com/2018/09/plane"
    first = create_claim(client, auth, "Claim one.", appearances=[
        appearance(url, title="Plane downed over Latakia", outlet={"name": "Example Daily"})])
    second = create_claim(client, auth, "Claim two.", appearances=[
        appearance(url + "#comments", title="A different title")])

    a, b = first["appearances"][0], second["appearances"][0]
    assert b["url"] == a["url"] == "https://example.com/2018/09/plane"
    assert b["outlet"] == a["outlet"] == {"name": "Example Daily", "domain": "example.com"}
    # The article keeps the title it was first recorded with.
    assert b["title"] == a["title"] == "Plane downed over Latakia"


def test_article_missing_title_is_filled_in_later(client, auth):
    url = "https://example.com/untitled"
    create_claim(client, auth, "Claim one.", appearances=[appearance(url)])
    second = create_claim(client, auth, "Claim two.", appearances=[appearance(url, title="Now titled")])
    assert second["appearances"][0]["title"] == "Now titled"


def test_claimant_is_stored_once_whatever_the_spacing_and_case(client, auth):
    first = create_claim(client, auth, "Claim one.", claimant={"name": "Dmitry  Peskov"})
    second = create_claim(client, auth, "Claim two.", claimant={"name": "dmitry peskov"},
                          appearances=[appearance(claimant={"name": "DMITRY PESKOV"})])

    assert first["claimant"]["name"] == "Dmitry Peskov"
    assert second["claimant"] == first["claimant"]
    assert second["appearances"][0]["claimant"] == first["claimant"]
    listed = client.get(CLAIMS, query_string={"claimant": "Dmitry Peskov"}).json["items"]
    assert {c["id"] for c in listed} == {first["id"], second["id"]}


def test_one_request_citing_one_article_twice_stores_its_first_appearance(client, auth):
    claim = create_claim(client, auth, claimant={"name": "Israel"}, appearances=[
        appearance("https://example.net/a", claimant={"name": "israel"}, stance="asserts"),
        appearance("http://www.example.net/a/?utm_source=feed", claimant={"name": "Israel"}, stance="denies"),
    ])
    (shown,) = claim["appearances"]
    assert shown["url"] == "https://example.net/a"
    assert shown["stance"] == "asserts"
    assert shown["claimant"] == claim["claimant"]


# --- POST /claims: validation --------------------------------------------------

@pytest.mark.parametrize("body, field", [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   \n\t"}, "text"),
    ({"text": None}, "text"),
    ({"text": 42}, "text"),
    ({"text": "x" * 5001}, "text"),
    ({"text": "A claim.", "language": "english!"}, "language"),
    ({"text": "A claim.", "language": "e"}, "language"),
    ({"text": "A claim.", "claimant": {"name": " "}}, "claimant"),
    ({"text": "A claim.", "claimant": "Dmitry Peskov"}, "claimant"),
    ({"text": "A claim.", "appearances": {"url": "https://example.com/"}}, "appearances"),
    ({"text": "A claim.", "appearances": [{}]}, "appearances"),
    ({"text": "A claim.", "appearances": [{"url": "https://example.com/", "stance": "supports"}]},
     "appearances"),
    ({"text": "A claim.", "appearances": [{"url": "not a url"}]}, "appearances"),
    ({"text": "A claim.", "appearances": [{"url": "ftp://example.com/file"}]}, "appearances"),
    ({"text": "A claim.", "appearances": [{"url": "https://example.com/", "published_at": "last week"}]},
     "appearances"),
    ({"text": "A claim.",
      "appearances": [{"url": "https://example.com/", "outlet": {"domain": "not a domain"}}]}, "appearances"),
    ({"text": "A claim.", "appearances": [{"url": "https://example.com/", "colour": "red"}]}, "appearances"),
])
def test_create_rejects_invalid_input_with_422(client, auth, body, field):
    body = assert_problem(client.post(CLAIMS, json=body, headers=auth), 422, field)
    assert all(isinstance(m, (list, dict)) for m in body["errors"].values())
    assert client.get(CLAIMS).json["items"] == []


def test_nested_errors_name_the_bad_appearance_field(client, auth):
    body = assert_problem(client.post(CLAIMS, json={
        "text": "A claim.", "appearances": [appearance(), appearance(stance="supports")],
    }, headers=auth), 422, "appearances")
    assert "stance" in body["errors"]["appearances"]["1"]
    assert "0" not in body["errors"]["appearances"]


@pytest.mark.parametrize("extra", [
    {"unknown_field": 1},
    {"id": 99},
    {"status": "checked"},
    {"consensus": {"category": "true", "score": 1.0}},
    {"verdicts": []},
    {"created_at": "2020-01-01T00:00:00Z"},
])
def test_create_rejects_unknown_and_read_only_fields(client, auth, extra):
    body = assert_problem(client.post(CLAIMS, json={"text": "A claim.", **extra}, headers=auth), 422)
    assert set(extra) <= set(body["errors"])


def test_create_rejects_a_claimant_id(client, auth):
    body = {"text": "A claim.", "claimant": {"id": 1, "name": "X"}}
    response = client.post(CLAIMS, json=body, headers=auth)
    assert "claimant" in assert_problem(response, 422)["errors"]


@pytest.mark.parametrize("payload", ['{"text": "unterminated', "not json at all", '{"text": "a",}'])
def test_bad_json_is_400_problem(client, auth, payload):
    response = client.post(CLAIMS, data=payload, content_type="application/json", headers=auth)
    assert_problem(response, 400)


@pytest.mark.parametrize("payload", [[], ["text"], "a claim", 7, None])
def test_json_that_is_not_an_object_is_422(client, auth, payload):
    assert_problem(client.post(CLAIMS, json=payload, headers=auth), 422)


def test_nul_characters_are_rejected_not_a_server_error(client, auth):
    body = {"text": "A claim\u0000.", "claimant": {"name": "A\u0000B"}}
    response = client.post(CLAIMS, json=body, headers=auth)
    assert_problem(response, 422, "text", "claimant")
    response = client.post(CLAIMS, json={
        "text": "A claim.", "appearances": [appearance(quote="q\u0000", title="t\u0000")]}, headers=auth)
    assert_problem(response, 422, "appearances")


def test_dates_out_of_range_are_rejected_not_a_server_error(client, auth):
    # In UTC this is a time before year 1.
    body = {"text": "A claim.", "appearances": [appearance(published_at="0001-01-01T00:00:00+05:00")]}
    response = client.post(CLAIMS, json=body, headers=auth)
    assert_problem(response, 422, "appearances")


# --- GET /claims/{id} ----------------------------------------------------------

def test_get_claim_shape(client, auth):
    created = create_claim(client, auth, claimant={"name": "Israel"},
                           appearances=[appearance(stance="asserts")])
    claim = get_claim(client, created["id"])
    assert claim == created
    assert set(claim) >= {"id", "text", "language", "claimant", "created_at", "status", "consensus",
                          "contested_because", "appearances", "verdicts"}
    assert claim["status"] == "unchecked"
    assert claim["consensus"] is None
    assert claim["contested_because"] == []
    assert claim["created_at"].endswith("+00:00") or claim["created_at"].endswith("Z")


@pytest.mark.parametrize("claim_id", ["999999", "0"])
def test_get_unknown_claim_is_404_problem(client, auth, claim_id):
    create_claim(client, auth)
    body = assert_problem(client.get(f"{CLAIMS}/{claim_id}"), 404)
    assert body["title"] == "Not Found"


@pytest.mark.parametrize("path", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_get_claim_with_an_impossible_id_is_404(client, path):
    assert_problem(client.get(f"{CLAIMS}/{path}"), 404)


def test_a_claims_date_may_be_given_and_is_shown(client, auth):
    claim = create_claim(client, auth, "Le Mali a rompu ses relations avec la France.",
                         claim_date="2022-08-30T18:00:00+02:00")
    assert claim["claim_date"].startswith("2022-08-30T16:00:00")
    assert create_claim(client, auth, "Another claim, undated.")["claim_date"] is None
