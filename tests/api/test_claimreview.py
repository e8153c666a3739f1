"""ClaimReview JSON-LD: per claim, the DataFeed, import (API and CLI) and the round trip (issue 6)."""
import json

import flask_migrate
import pytest
from sqlalchemy import func, select

from factcheck.errors import Invalid
from factcheck.extensions import db
from factcheck.models import Claim, Verdict
from factcheck.services.accounts.actors import SYSTEM
from factcheck.services.exchange import claimreview_import
from factcheck.services.verdicts.reviews import submit_verdict
from tests.api.helpers import (
    BASE_CLAIM,
    NEAR_COPY,
    add_verdict,
    assert_problem,
    claim_links,
    create_claim,
    get_claim,
    publisher_auth,
)
from tests.api.newsrooms import patch_verdict
from tests.conftest import _drop_schema, _postgres_schema_url, bearer, make_app

LD_JSON = "application/ld+json"
FEED = "/api/v1/claimreviews"
IMPORT = f"{FEED}/import"
TEXT = "Israel informed Russia of the Latakia airstrike in advance."


def review(url: str = "https://www.politifact.com/factchecks/1/", text: str = TEXT, **fields) -> dict:
    """A ClaimReview as the Fact Check Markup Tool writes one."""
    return {
        "@context": "https://schema.org", "@type": "ClaimReview", "url": url,
        "datePublished": "2018-09-28", "claimReviewed": text,
        "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.com/"},
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly True", "ratingValue": "4",
                         "bestRating": "5", "worstRating": "1"},
        "itemReviewed": {"@type": "Claim", "datePublished": "2018-09-24",
                         "author": {"@type": "Organization", "name": "Israel Defense Forces"},
                         "appearance": [{"@type": "NewsArticle", "url": "https://example.com/news/il20"},
                                        "https://example.org/story#top"]},
        **fields,
    }


def claimreviews(client, claim_id: int) -> list[dict]:
    response = client.get(f"/api/v1/claims/{claim_id}/claimreview")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == LD_JSON
    return json.loads(response.get_data(as_text=True))


def import_(client, auth, document, status: int = 200) -> dict:
    response = client.post(IMPORT, json=document, headers=auth)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json


def walk_feed(client, **params) -> list[dict]:
    """Every ClaimReview of the feed, following next_cursor; checks the Link header."""
    items, cursor = [], None
    while True:
        response = client.get(FEED, query_string={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200 and response.mimetype == LD_JSON
        body = json.loads(response.get_data(as_text=True))
        assert (body["@context"], body["@type"]) == ("https://schema.org", "DataFeed")
        items.extend(body["dataFeedElement"])
        cursor = body["next_cursor"]
        if cursor is None:
            assert "Link" not in response.headers
            return items
        assert f"cursor={cursor}" in response.headers["Link"]


# --- out ---
def test_a_claim_as_claimreview_json_ld(client, auth):
    claim = create_claim(client, auth, TEXT, claimant={"name": "Israel Defense Forces"}, appearances=[
        {"url": "https://example.com/news/later", "title": "Later", "published_at": "2018-09-25T08:00:00Z"},
        {"url": "https://example.net/news/il20", "title": "IDF statement", "published_at": "2018-09-24T10:00:00Z",
         "outlet": {"name": "Example News"}},
    ])
    add_verdict(client, claim["id"], "Mostly True", site="www.politifact.com", name="PolitiFact",
                url="https://www.politifact.com/factchecks/1/", explanation="Russia was told minutes before.",
                review_date="2018-09-28T10:00:00Z")
    (found,) = claimreviews(client, claim["id"])
    assert found["@context"] == "https://schema.org" and found["@type"] == "ClaimReview"
    assert found["claimReviewed"] == TEXT
    assert found["url"] == "https://www.politifact.com/factchecks/1/"
    assert found["datePublished"].startswith("2018-09-28T10:00:00")
    assert found["author"] == {"@type": "Organization", "name": "PolitiFact", "url": "https://politifact.com"}
    assert found["reviewRating"] == {"@type": "Rating", "alternateName": "Mostly True",
                                     "ratingExplanation": "Russia was told minutes before."}
    item = found["itemReviewed"]
    assert item["@type"] == "Claim" and item["inLanguage"] == "en"
    assert item["author"] == {"@type": "Person", "name": "Israel Defense Forces"}
    assert [a["url"] for a in item["appearance"]] == ["https://example.com/news/later", "https://example.net/news/il20"]
    assert all(a["@type"] == "CreativeWork" for a in item["appearance"])
    assert item["firstAppearance"]["url"] == "https://example.net/news/il20"
    assert item["firstAppearance"]["headline"] == "IDF statement"
    assert item["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "Example News"}
    assert item["datePublished"].startswith("2018-09-24T10:00:00")


def test_numeric_ratings_are_published_with_their_scale(client, auth):
    claim = create_claim(client, auth, TEXT)
    add_verdict(client, claim["id"], "Four stars", site="example.org", rating_value=4, best_rating=5,
                worst_rating=1)
    (found,) = claimreviews(client, claim["id"])
    rating = found["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (4, 5, 1)
    assert "url" not in found  # the verdict had none


def test_claim_without_verdicts_has_no_reviews_and_unknown_claim_is_404(client, auth):
    claim = create_claim(client, auth, TEXT)
    assert claimreviews(client, claim["id"]) == []
    assert_problem(client.get("/api/v1/claims/999/claimreview"), 404)


def test_group_verdicts_name_the_wording_they_were_given_on(client, auth):
    base = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    assert get_claim(client, copy["id"])["group_id"] == base["id"]  # auto-confirmed
    add_verdict(client, base["id"], "False", url="https://www.politifact.com/factchecks/2/")
    (found,) = claimreviews(client, copy["id"])
    assert found["claimReviewed"] == BASE_CLAIM


def test_drafts_are_not_published(client, auth):
    claim = create_claim(client, auth, TEXT)
    draft = {"publisher": {"name": "PolitiFact", "site": "politifact.com"}, "rating": "False",
             "url": "https://www.politifact.com/factchecks/draft/", "status": "draft"}
    submit_verdict(claim["id"], draft, SYSTEM)
    assert claimreviews(client, claim["id"]) == []
    assert walk_feed(client) == []


def test_feed_pages_through_every_review_oldest_first(client, auth):
    claims = [create_claim(client, auth, f"Claim number {word} about the budget.") for word in ("one", "two", "three")]
    for i, claim in enumerate(claims):
        for site in ("politifact.com", "snopes.com"):
            add_verdict(client, claim["id"], "False", site=site, url=f"https://{site}/{i}")
    items = walk_feed(client, limit=4)
    assert [item["url"] for item in items] == [f"https://{site}/{i}" for i in range(3)
                                               for site in ("politifact.com", "snopes.com")]
    assert all(item["@type"] == "ClaimReview" for item in items)


def test_a_revised_review_moves_to_the_end_of_the_feed(client, auth):
    first, second = (create_claim(client, auth, f"Claim number {word} about the budget.") for word in ("one", "two"))
    v1 = add_verdict(client, first["id"], "False", url="https://politifact.com/1")
    add_verdict(client, second["id"], "True", url="https://politifact.com/2")
    page = client.get(FEED, query_string={"limit": 1}).json
    assert [item["url"] for item in page["dataFeedElement"]] == ["https://politifact.com/1"]
    response = patch_verdict(client, publisher_auth("politifact.com"), v1["id"], rating="Mostly False")
    assert response.status_code == 200, response.json
    rest = walk_feed(client, limit=1, cursor=page["next_cursor"])
    assert [(item["url"], item["reviewRating"]["alternateName"]) for item in rest] == [
        ("https://politifact.com/2", "True"), ("https://politifact.com/1", "Mostly False")]


@pytest.mark.parametrize("params, field", [({"limit": 0}, "limit"), ({"cursor": "nonsense"}, "cursor"),
                                           ({"page": 2}, "page")])
def test_feed_rejects_bad_parameters(client, params, field):
    assert_problem(client.get(FEED, query_string=params), 422, field)


def test_spec_documents_json_ld(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/claims/{claim_id}/claimreview", FEED):
        assert list(paths[path]["get"]["responses"]["200"]["content"]) == [LD_JSON]
    body = paths[IMPORT]["post"]["requestBody"]["content"]
    assert {"application/json", LD_JSON} <= set(body)
    assert paths[IMPORT]["post"]["security"] == [{"bearerAuth": []}]


# --- in ---
def test_import_one_review_creates_claim_claimant_sources_and_verdict(client, auth):
    summary = import_(client, auth, review())
    assert summary == {"created": 1, "updated": 0, "unchanged": 0, "rejected": [], "warnings": []}
    (claim,) = client.get("/api/v1/claims").json["items"]
    assert claim["text"] == TEXT and claim["claimant"]["name"] == "Israel Defense Forces"
    assert {a["url"] for a in claim["appearances"]} == {"https://example.com/news/il20", "https://example.org/story"}
    (verdict,) = claim["verdicts"]
    assert verdict["publisher"] == {"name": "PolitiFact", "site": "politifact.com"}
    assert (verdict["rating"], verdict["score"], verdict["category"]) == ("Mostly True", 0.75, "true")
    assert verdict["rating_value"] == 4 and verdict["review_date"].startswith("2018-09-28")


def test_import_twice_changes_nothing_and_a_changed_review_updates(client, auth):
    document = [review(), review("https://www.snopes.com/fact-check/1/", author={"name": "Snopes",
                                                                               "url": "https://www.snopes.com"})]
    assert import_(client, auth, document)["created"] == 2
    before = client.get("/api/v1/claims").json
    assert import_(client, auth, document) == {"created": 0, "updated": 0, "unchanged": 2, "rejected": [],
                                                "warnings": []}
    assert client.get("/api/v1/claims").json == before
    assert len(before["items"]) == 1  # both reviews are of one claim

    document[1]["reviewRating"] = {"alternateName": "False"}
    assert import_(client, auth, document)["updated"] == 1
    ratings = {v["publisher"]["site"]: v["rating"] for v in get_claim(client, before["items"][0]["id"])["verdicts"]}
    assert ratings == {"politifact.com": "Mostly True", "snopes.com": "False"}


def test_import_a_data_commons_feed(client, auth):
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "dateCreated": "2019-01-01", "item": [review()]},
        {"@type": "DataFeedItem", "item": review("https://www.politifact.com/factchecks/2/", text=BASE_CLAIM)},
    ]}
    # A source without a url cannot be kept; the review still can.
    feed["dataFeedElement"][1]["item"]["itemReviewed"]["firstAppearance"] = {"@type": "CreativeWork"}
    assert import_(client, auth, feed)["created"] == 2
    assert import_(client, auth, {"@context": "https://schema.org", "@graph": [review()]})["unchanged"] == 1


def test_malformed_reviews_are_reported_by_index_and_the_rest_imported(client, auth):
    bad_rating = review("https://example.org/r/3", reviewRating={"@type": "Rating", "bestRating": "5"})
    document = {"@type": "DataFeed", "dataFeedElement": [
        review(), {"@type": "Article", "url": "https://example.org/a"}, review(url="not a url"), bad_rating, 42,
        review("https://example.org/r/5", text=BASE_CLAIM),
    ]}
    summary = import_(client, auth, document)
    assert summary["created"] == 2
    rejected = {item["index"]: item for item in summary["rejected"]}
    assert sorted(rejected) == [1, 2, 3, 4]
    assert "@type" in rejected[1]["errors"] and "url" in rejected[2]["errors"]
    assert "alternateName" in rejected[3]["errors"]["reviewRating"]
    assert rejected[4]["path"] == "$.dataFeedElement[4]"


def test_a_failing_review_leaves_nothing_behind(client, auth, monkeypatch):
    real = claimreview_import.enqueue_events

    def failing(session, verdicts=(), **kwargs):
        if any(v.url.endswith("/fails") for v in verdicts):
            raise Invalid("Simulated failure after the claim was stored.")
        return real(session, verdicts, **kwargs)

    monkeypatch.setattr(claimreview_import, "enqueue_events", failing)
    summary = import_(client, auth, [review("https://example.org/fails", text=BASE_CLAIM), review()])
    assert summary["created"] == 1 and summary["rejected"][0]["index"] == 0
    assert db.session.scalar(select(func.count()).select_from(Claim).where(Claim.text == BASE_CLAIM)) == 0


def test_the_review_recorded_last_counts_whatever_its_date(client, auth):
    """A review's date is the client's word; the order in which reviews were published here is not."""
    newer = review("https://www.politifact.com/factchecks/2/", datePublished="2019-05-01",
                   reviewRating={"alternateName": "False"})
    import_(client, auth, [newer, review()])  # review() is from 2018 and says Mostly True
    (claim,) = client.get("/api/v1/claims").json["items"]
    counting = [v["rating"] for v in claim["verdicts"] if v["superseded_by_id"] is None]
    assert counting == ["Mostly True"] and claim["consensus"]["category"] == "true"


def test_a_newsrooms_own_reviews_are_its_own_to_change(client, newsrooms):
    desk_a, desk_b = newsrooms
    mine = review("https://desk-a.example.org/checks/1", author={"name": desk_a.name, "url": f"https://{desk_a.site}"})
    theirs = review("https://www.politifact.com/factchecks/9/", text=BASE_CLAIM)
    assert import_(client, desk_a.factchecker, [mine, theirs])["created"] == 2
    owners = {v.url: v.organisation_id for v in db.session.scalars(select(Verdict))}
    assert owners == {mine["url"]: desk_a.id, theirs["url"]: None}

    changed = {**mine, "reviewRating": {"alternateName": "False"}}
    refused = import_(client, desk_b.factchecker, changed)
    assert refused["created"] == 0 and desk_a.site in refused["rejected"][0]["errors"]["author"][0]
    assert import_(client, desk_a.factchecker, changed)["updated"] == 1


def test_imported_claims_are_linked_and_known_texts_reused(client, auth):
    base = create_claim(client, auth, BASE_CLAIM)
    import_(client, auth, [review("https://example.org/r/1", text=NEAR_COPY),
                           review("https://example.org/r/2", text=BASE_CLAIM)])
    assert db.session.scalar(select(func.count(Claim.id))) == 2
    (link,) = claim_links(client, base["id"])
    assert link["status"] == "confirmed"
    assert {v.claim_id for v in db.session.scalars(select(Verdict))} == {base["id"], link["other"]["id"]}


def test_import_needs_a_factchecker_before_reading_the_body(client, reader_auth):
    assert_problem(client.post(IMPORT, data="{not json", content_type="application/json"), 401)
    assert_problem(client.post(IMPORT, json=[review()], headers=reader_auth), 403)


@pytest.mark.parametrize("body, status", [('"a string"', 422), ("{not json", 400), ("17", 422)])
def test_import_rejects_documents_that_are_not_claimreview(client, auth, body, status):
    response = client.post(IMPORT, data=body, headers={**auth, "Content-Type": LD_JSON})
    assert_problem(response, status)


def test_import_accepts_the_ld_json_media_type(client, auth):
    response = client.post(IMPORT, data=json.dumps(review()), headers={**auth, "Content-Type": LD_JSON})
    assert response.status_code == 200 and response.json["created"] == 1


def test_cli_imports_a_file_twice_without_changes(app, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([review(), {"@type": "ClaimReview"}]), encoding="utf-8")
    first = app.test_cli_runner().invoke(args=["import-claimreview", str(path)])
    assert first.exit_code == 1, first.output  # a review was rejected
    assert "created 1, updated 0, unchanged 0, rejected 1" in first.output
    assert "$[1]" in first.output
    second = app.test_cli_runner().invoke(args=["import-claimreview", str(path)])
    assert "created 0, updated 0, unchanged 1, rejected 1" in second.output


# --- the round trip ---
@pytest.fixture
def empty_app(database_url, tmp_path):
    """A second, migrated and empty database on the same engine as the test's."""
    if database_url.startswith("sqlite"):
        other, schema = make_app(f"sqlite:///{tmp_path / 'empty.db'}"), None
    else:
        url, schema = _postgres_schema_url()
        other = make_app(url)
    with other.app_context():
        flask_migrate.upgrade()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        _drop_schema(schema)


def _contents(client) -> list[dict]:
    """What a round trip must keep, independent of ids and creation times."""
    claims = client.get("/api/v1/claims", query_string={"limit": 100}).json["items"]
    return sorted(({
        "text": c["text"], "claimant": c["claimant"] and c["claimant"]["name"], "language": c["language"],
        "urls": sorted(a["url"] for a in c["appearances"]), "status": c["status"], "consensus": c["consensus"],
        "verdicts": sorted((v["publisher"]["name"], v["publisher"]["site"], v["rating"], v["rating_value"],
                            v["best_rating"], v["worst_rating"], v["score"], v["category"], v["url"],
                            v["explanation"], v["review_date"], v["status"], v["superseded_by_id"] is None)
                           for v in c["verdicts"] if v["claim_id"] == c["id"]),
    } for c in claims if any(v["claim_id"] == c["id"] for v in c["verdicts"])), key=lambda c: c["text"])


def test_round_trip_through_an_empty_database(client, auth, empty_app):
    story = create_claim(client, auth, TEXT, claimant={"name": "Israel Defense Forces"}, language="en", appearances=[
        {"url": "https://example.com/news/il20", "published_at": "2018-09-24T10:00:00Z"},
        {"url": "https://www.example.org/story"}])
    add_verdict(client, story["id"], "Mostly True", site="politifact.com", name="PolitiFact",
                url="https://www.politifact.com/factchecks/1/", explanation="Minutes before.",
                review_date="2018-09-28T10:00:00Z")
    add_verdict(client, story["id"], "Grade 2", site="example.org", rating_value=2, best_rating=10,
                worst_rating=0, url="https://example.org/checks/1")
    other = create_claim(client, auth, BASE_CLAIM, language="en-GB")
    add_verdict(client, other["id"], "Needs more cowbell", site="fullfact.org", name="Full Fact",
                url="https://fullfact.org/1")
    add_verdict(client, other["id"], "False", site="fullfact.org", name="Full Fact", url="https://fullfact.org/2")
    unchecked = create_claim(client, auth, "A claim nobody checked is not a review.")["text"]
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": walk_feed(client, limit=2)}
    assert len(feed["dataFeedElement"]) == 4
    exported = _contents(client)

    with empty_app.app_context():
        other_client, other_auth = empty_app.test_client(), bearer("factchecker")
        assert import_(other_client, other_auth, feed)["created"] == 4
        assert _contents(other_client) == exported
        assert unchecked not in json.dumps(exported)
        assert import_(other_client, other_auth, feed) == {"created": 0, "updated": 0, "unchanged": 4,
                                                           "rejected": [], "warnings": []}
        assert _contents(other_client) == exported
