"""A verdict speaks for one publisher, and only that publisher's newsroom writes it: every write
path between two newsrooms, external reviews and their importers, the consensus's order."""
import json

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Verdict
from tests.api.helpers import CLAIMS, assert_problem, create_claim, get_claim, if_match, verdict
from tests.api.newsrooms import RATED, VERDICTS, patch_verdict, post_verdict
from tests.conftest import bearer

IMPORT = "/api/v1/claimreviews/import"
TEXT = RATED  # the text of `checked`, the claim Desk A rated true (tests/api/conftest.py)


def review(site: str, url: str, rating: str = "Pants on Fire", text: str = TEXT, **fields) -> dict:
    return {"@type": "ClaimReview", "url": url, "claimReviewed": text, "datePublished": "2024-05-01",
            "author": {"@type": "Organization", "name": site, "url": f"https://{site}"},
            "reviewRating": {"@type": "Rating", "alternateName": rating}, **fields}


def import_(client, auth: dict, *reviews: dict) -> dict:
    response = client.post(IMPORT, json=list(reviews), headers=auth)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def consensus(client, claim_id: int) -> dict | None:
    return get_claim(client, claim_id)["consensus"]


def published(client, claim_id: int) -> list[tuple[str, str]]:
    return sorted((v["publisher"]["site"], v["rating"]) for v in get_claim(client, claim_id)["verdicts"])


@pytest.fixture
def operator(app) -> dict:
    return bearer("operator", "Instance operators", "the operator")


# --- POST /claims/{id}/verdicts and PATCH /verdicts/{id} ---

@pytest.mark.parametrize("site", ["desk-a.example.org", "https://www.DESK-A.example.org/", "WWW.Desk-A.example.org"])
def test_a_newsroom_cannot_sign_as_another(client, newsrooms, checked, site):
    a, b = newsrooms
    body = {**verdict("Pants on Fire", site=site, name=a.name), "review_date": "2024-01-01T00:00:00Z"}
    for status in ("published", "draft"):
        response = client.post(f"{CLAIMS}/{checked['id']}/verdicts", json={**body, "status": status},
                               headers=b.factchecker)
        assert_problem(response, 403, "publisher")
    assert published(client, checked["id"]) == [(a.site, "True")]
    assert consensus(client, checked["id"]) == {"category": "true", "score": 1.0}


def test_a_newsroom_cannot_change_anothers_verdict(client, newsrooms, checked):
    _a, b = newsrooms
    (mine,) = get_claim(client, checked["id"])["verdicts"]
    for auth in (b.factchecker, b.editor):
        for change in ({"rating": "False"}, {"status": "withdrawn", "reason": "Misquoted."},
                       {"review_date": "2020-01-01T00:00:00Z"}):
            assert_problem(patch_verdict(client, auth, mine["id"], **change), 403)
    assert get_claim(client, checked["id"])["verdicts"] == [mine]


# --- external reviews: imported, and changed by their importer or an operator only ---

def test_another_newsrooms_site_is_refused_per_item_by_the_import(client, newsrooms, checked):
    a, b = newsrooms
    forged = review(a.site, "https://desk-a.example.org/checks/forged")
    external = review("snopes.com", "https://www.snopes.com/fact-check/bridge/", rating="Mostly True")
    summary = import_(client, b.factchecker, forged, external)

    assert (summary["created"], [item["index"] for item in summary["rejected"]]) == (1, [0])
    assert a.site in summary["rejected"][0]["errors"]["author"][0]
    assert published(client, checked["id"]) == [(a.site, "True"), ("snopes.com", "Mostly True")]
    assert consensus(client, checked["id"])["category"] == "true"
    # The feed and the Google-shaped search show Desk A's own review only.
    feed = client.get("/api/v1/claimreviews").json["dataFeedElement"]
    assert [item["url"] for item in feed if a.site in item["author"]["url"]] == ["https://desk-a.example.org/checks/1"]
    found = client.get("/api/v1/claims:search", query_string={"reviewPublisherSiteFilter": a.site}).json
    assert [r["url"] for c in found["claims"] for r in c["claimReview"]] == ["https://desk-a.example.org/checks/1"]


def test_a_newsroom_imports_its_own_reviews_as_its_verdicts(client, newsrooms, checked):
    a, b = newsrooms
    own = review(a.site, "https://desk-a.example.org/checks/2", rating="Mostly True", text="Another claim.")
    assert import_(client, a.factchecker, own)["created"] == 1
    claim = client.get(CLAIMS, query_string={"q": "Another claim"}).json["items"][0]
    (stored,) = claim["verdicts"]
    assert (stored["organisation_id"], stored["imported"], stored["imported_by_id"]) == (a.id, True, a.id)
    # So Desk A may revise it, through the API or a re-import; Desk B may not.
    assert patch_verdict(client, a.editor, stored["id"], explanation="Sources added.").status_code == 200
    assert_problem(patch_verdict(client, b.editor, stored["id"], rating="False"), 403)
    assert import_(client, a.factchecker, {**own, "reviewRating": {"alternateName": "True"}})["updated"] == 1


def test_an_external_review_is_marked_with_its_importer(client, newsrooms, checked):
    _, b = newsrooms
    import_(client, b.factchecker, review("snopes.com", "https://www.snopes.com/fact-check/bridge/"))
    external = next(v for v in get_claim(client, checked["id"])["verdicts"] if v["publisher"]["site"] == "snopes.com")
    assert (external["organisation_id"], external["imported"], external["imported_by_id"]) == (None, True, b.id)
    assert external["publisher"] == {"name": "snopes.com", "site": "snopes.com"}


def test_only_an_operator_withdraws_an_external_review(client, newsrooms, checked, operator, admin_auth):
    a, b = newsrooms
    import_(client, b.factchecker, review("snopes.com", "https://www.snopes.com/fact-check/bridge/"))
    assert consensus(client, checked["id"]) == {"category": "mixed", "score": 0.5}
    external = next(v for v in get_claim(client, checked["id"])["verdicts"] if v["publisher"]["site"] == "snopes.com")

    for auth in (b.factchecker, b.editor, a.editor, admin_auth):
        withdrawn = patch_verdict(client, auth, external["id"], status="withdrawn", reason="Misquoted.")
        problem = assert_problem(withdrawn, 403)
        assert "operator" in problem["detail"]
    response = patch_verdict(client, operator, external["id"], status="withdrawn", reason="Misquoted.")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "withdrawn"
    assert published(client, checked["id"]) == [(a.site, "True")]
    assert consensus(client, checked["id"]) == {"category": "true", "score": 1.0}
    # An operator still cannot change a newsroom's own verdict.
    (own,) = get_claim(client, checked["id"])["verdicts"]
    assert_problem(patch_verdict(client, operator, own["id"], status="withdrawn", reason="Misquoted."), 403)


def test_a_re_import_changes_a_review_only_for_its_importer(client, newsrooms, checked, operator):
    a, b = newsrooms
    url = "https://www.snopes.com/fact-check/bridge/"
    import_(client, b.factchecker, review("snopes.com", url, rating="False"))

    # Another newsroom's re-import may not rewrite it (its identical copy changes nothing).
    summary = import_(client, a.factchecker, review("snopes.com", url, rating="True"))
    assert summary["created"] == summary["updated"] == 0
    assert "importer" in summary["rejected"][0]["errors"]["url"][0]
    assert import_(client, a.factchecker, review("snopes.com", url, rating="False"))["unchanged"] == 1
    assert ("snopes.com", "False") in published(client, checked["id"])

    # Its importer's may, and so may an operator's.
    assert import_(client, b.factchecker, review("snopes.com", url, rating="Mostly False"))["updated"] == 1
    assert ("snopes.com", "Mostly False") in published(client, checked["id"])
    assert import_(client, operator, review("snopes.com", url, rating="Half True"))["updated"] == 1
    assert ("snopes.com", "Half True") in published(client, checked["id"])


def test_a_review_url_of_one_publisher_is_not_taken_by_another(client, newsrooms, checked):
    _, b = newsrooms
    summary = import_(client, b.factchecker, review("snopes.com", "https://desk-a.example.org/checks/1"))
    assert summary["created"] == 0 and "desk-a.example.org" in summary["rejected"][0]["errors"]["url"][0]
    assert published(client, checked["id"]) == [("desk-a.example.org", "True")]


def test_the_operators_imports_are_not_rewritten_by_a_newsroom(app, client, newsrooms, tmp_path):
    _, b = newsrooms
    url = "https://www.politifact.com/factchecks/bridge/"
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([review("politifact.com", url, rating="False")]), encoding="utf-8")
    assert cli(app, "import-claimreview", str(path)).exit_code == 0

    summary = import_(client, b.factchecker, review("politifact.com", url, rating="True"))
    assert summary["updated"] == 0 and len(summary["rejected"]) == 1
    (claim,) = client.get(CLAIMS).json["items"]
    assert [(v["rating"], v["imported"], v["imported_by_id"]) for v in claim["verdicts"]] == [("False", True, None)]


def test_the_demo_seeds_reviews_are_not_rewritten_by_a_newsroom(app, client, newsrooms):
    _, b = newsrooms
    assert cli(app, "seed").exit_code == 0
    seeded = [(c["id"], v) for c in client.get(CLAIMS, query_string={"limit": 100}).json["items"]
              for v in c["verdicts"] if v["url"] and v["claim_id"] == c["id"]]
    claim_id, target = seeded[0]
    site = target["publisher"]["site"]
    summary = import_(client, b.factchecker, review(site, target["url"], rating="Pants on Fire", text=TEXT))
    assert summary["updated"] == 0 and "importer" in summary["rejected"][0]["errors"]["url"][0]
    assert target in get_claim(client, claim_id)["verdicts"]


# --- the command line: as the operator, or as a newsroom ---

def test_the_claimreview_cli_refuses_a_newsrooms_site_to_anyone_else(app, client, newsrooms, checked, tmp_path):
    a, _ = newsrooms
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([review(a.site, "https://desk-a.example.org/checks/9")]), encoding="utf-8")
    for args in ([], ["--organisation", "Desk B"]):
        result = cli(app, "import-claimreview", *args, str(path))
        assert "created 0" in result.output and "rejected 1" in result.output, result.output
        assert a.site in result.output
    assert published(client, checked["id"]) == [(a.site, "True")]

    result = cli(app, "import-claimreview", "--organisation", "Desk A", str(path))
    assert "created 1" in result.output, result.output
    assert (a.site, "Pants on Fire") in published(client, checked["id"])
    verdicts = get_claim(client, checked["id"])["verdicts"]
    assert {v["organisation_id"] for v in verdicts} == {a.id}


def test_the_cli_names_an_unknown_organisation(app, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text("[]", encoding="utf-8")
    result = cli(app, "import-claimreview", "--organisation", "Nobody", str(path))
    assert result.exit_code != 0 and "Nobody" in result.output


def test_the_bulk_import_refuses_a_newsrooms_site_to_anyone_else(app, client, newsrooms, checked, tmp_path):
    a, b = newsrooms
    path = tmp_path / "claims.jsonl"
    lines = [{"text": "A claim only Desk A may rate.", "verdicts": [verdict("False", site=a.site, name=a.name)]},
             {"text": "A claim anyone may import.", "verdicts": [verdict("True", site="snopes.com")]}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    for args in ([], ["--organisation", "Desk B"]):
        result = cli(app, "import-claims", *args, str(path))
        assert "rejected 1 lines" in result.output and "line 1:" in result.output, result.output
        assert a.site in result.output
    listed = {c["text"]: c for c in client.get(CLAIMS).json["items"]}
    assert "A claim only Desk A may rate." not in listed
    external = listed["A claim anyone may import."]["verdicts"]
    assert [(v["organisation_id"], v["imported"]) for v in external] == [(None, True)]
    assert {v["imported_by_id"] for v in external} <= {None, b.id}

    result = cli(app, "import-claims", "--organisation", "Desk A", str(path))
    assert "rejected 0 lines" in result.output, result.output
    listed = {c["text"]: c for c in client.get(CLAIMS).json["items"]}
    (own,) = listed["A claim only Desk A may rate."]["verdicts"]
    assert (own["organisation_id"], own["publisher"]["site"], own["rating"]) == (a.id, a.site, "False")


# --- the consensus: each publisher's verdict published last ---

def test_the_consensus_takes_the_verdict_published_last_whatever_its_date(client, newsrooms):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker, TEXT)
    post_verdict(client, a.factchecker, claim["id"], "True", review_date="2024-06-01T00:00:00Z")
    later = post_verdict(client, a.factchecker, claim["id"], "False", review_date="2019-01-01T00:00:00Z")
    assert consensus(client, claim["id"]) == {"category": "false", "score": 0.0}
    counting = [v["id"] for v in get_claim(client, claim["id"])["verdicts"] if v["superseded_by_id"] is None]
    assert counting == [later["id"]]


def test_a_draft_published_later_counts_over_one_published_between(client, newsrooms):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker, TEXT)
    draft = post_verdict(client, a.factchecker, claim["id"], "False", status="draft")
    post_verdict(client, a.factchecker, claim["id"], "True")
    assert patch_verdict(client, a.editor, draft["id"], status="published").status_code == 200
    assert consensus(client, claim["id"]) == {"category": "false", "score": 0.0}


# --- review_date is never in the future ---

def test_a_future_review_date_is_422_on_every_write(app, client, newsrooms, checked, tmp_path):
    a, b = newsrooms
    future = "2099-01-01T00:00:00Z"
    response = client.post(f"{CLAIMS}/{checked['id']}/verdicts", headers=a.factchecker,
                           json={"rating": "False", "review_date": future})
    assert_problem(response, 422, "review_date")
    (mine,) = get_claim(client, checked["id"])["verdicts"]
    url = f"{VERDICTS}/{mine['id']}"
    assert_problem(client.patch(url, json={"review_date": future}, headers=if_match(client, url, a.editor)),
                   422, "review_date")

    # Imported markup's date is optional: a future one is dropped and said, the review kept undated.
    summary = import_(client, b.factchecker, review("snopes.com", "https://www.snopes.com/x", text="Dated later.",
                                                    datePublished=future))
    assert summary["created"] == 1 and "datePublished" in summary["warnings"][0]["warnings"]
    assert db.session.scalars(select(Verdict.review_date).where(Verdict.url == "https://www.snopes.com/x")).one() is None

    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps({"text": "Dated later.", "verdicts": [verdict("True", review_date=future)]}) + "\n",
                    encoding="utf-8")
    assert "review_date" in cli(app, "import-claims", str(path)).output
    assert get_claim(client, checked["id"])["verdicts"] == [mine]
