"""One thing, one record: a claimant, an article, an outlet or a claim text is stored once, however spelt."""
import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Appearance, Article, Claim, Claimant, Outlet
from factcheck.services.exchange import bulk, claimreview_import
from tests.api.helpers import CLAIMS, add_appearance, appearance, assert_problem, create_claim, get_claim
from tests.api.newsrooms import VERDICTS, history, post_verdict

REUTERS = ["Reuters", "Reuters\u200b", "\uff32\uff45\uff55\uff54\uff45\uff52\uff53", " REU\u00adTERS\ufeff "]
ARTICLE = ["https://example.com/2018/09/plane", "http://example.com/2018/09/plane",
           "https://www.Example.COM:443/2018/09/plane/", "https://example.com/2018/09/plane?utm_source=tw&fbclid=x",
           "https://example.com/2018/09/%70lane#comments"]
TEXT = "Russia will deliver S-300 missile systems to Syria within two weeks."


def _count(model) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_spellings_of_a_name_are_one_claimant_shown_readably(client, auth):
    stored = [create_claim(client, auth, f"Claim {n} about the downed plane.", claimant={"name": name})
              for n, name in enumerate(REUTERS)]
    assert {c["claimant"]["id"] for c in stored} == {stored[0]["claimant"]["id"]}
    assert stored[0]["claimant"]["name"] == "Reuters"
    assert _count(Claimant) == 1
    # The list's filter compares names the same way.
    found = client.get(CLAIMS, query_string={"claimant": "\uff52\uff45\uff55\uff54\uff45\uff52\uff53"}).json
    assert len(found["items"]) == len(REUTERS)


def test_a_name_of_invisible_characters_names_nobody(client, auth):
    claim = create_claim(client, auth, claimant={"name": "\u200b\u200d"})
    assert claim["claimant"] is None
    assert _count(Claimant) == 0


def test_the_spellings_of_a_url_are_one_article_and_one_outlet(client, auth):
    stored = [create_claim(client, auth, f"Claim {n} about the downed plane.", appearances=[appearance(url)])
              for n, url in enumerate(ARTICLE)]
    shown = [c["appearances"][0] for c in stored]
    assert {a["url"] for a in shown} == {"https://example.com/2018/09/plane"}
    assert {a["outlet"]["domain"] for a in shown} == {"example.com"}
    assert (_count(Article), _count(Outlet)) == (1, 1)
    found = client.get(CLAIMS, query_string={"outlet": "WWW.example.com"}).json
    assert len(found["items"]) == len(ARTICLE)


def test_one_article_in_several_spellings_is_one_source_when_sources_disagree(client, auth):
    claim = create_claim(client, auth, appearances=[
        appearance(ARTICLE[0], stance="asserts"), appearance("https://other.example.org/denial", stance="denies")])
    for url in ARTICLE[1:]:
        response = client.post(f"{CLAIMS}/{claim['id']}/appearances", json=appearance(url, stance="asserts"),
                               headers=auth)
        assert response.status_code == 200
        assert response.json == claim["appearances"][0]
    shown = get_claim(client, claim["id"])
    assert len(shown["appearances"]) == 2
    # One assertion against one denial: as evenly split as sources can be.
    assert shown["contested_because"] == ["sources_disagree"] and shown["contest_score"] == 1.0
    assert _count(Appearance) == 2


def test_one_article_quoting_two_claimants_is_two_appearances(client, auth):
    claim = create_claim(client, auth, appearances=[
        appearance(ARTICLE[0], claimant={"name": "Russia"}, stance="asserts"),
        appearance(ARTICLE[1], claimant={"name": "Israel"}, stance="denies"),
        appearance(ARTICLE[2], claimant={"name": "RUSSIA"}, stance="asserts")])
    assert [(a["claimant"]["name"], a["stance"]) for a in claim["appearances"]] == [
        ("Russia", "asserts"), ("Israel", "denies")]


def test_an_idn_url_is_accepted_and_stored_in_one_form(client, auth):
    claim = create_claim(client, auth, appearances=[
        appearance("https://bücher.example/straße?q=ü", outlet={"name": "Bücher", "domain": "WWW.Bücher.example"})])
    (shown,) = claim["appearances"]
    assert shown["url"] == "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC"
    assert shown["outlet"] == {"name": "Bücher", "domain": "xn--bcher-kva.example"}
    again = add_appearance(client, auth, create_claim(client, auth, "Another claim on books.")["id"],
                           url="http://xn--bcher-kva.example/stra%c3%9fe/?q=%C3%BC")
    assert again["url"] == shown["url"]
    assert _count(Article) == 1


@pytest.mark.parametrize("url", [
    "https://example.com:65536/a",  # no such port
    "https://example.com/" + "é" * 2800,  # 16,800 characters once percent-encoded
    "ftp://example.com/a",
])
def test_a_url_that_cannot_be_stored_is_422(client, auth, url):
    response = client.post(CLAIMS, json={"text": TEXT, "appearances": [appearance(url)]}, headers=auth)
    assert_problem(response, 422, "appearances")
    assert _count(Claim) == 0


def test_posting_a_stored_text_answers_with_that_claim_and_adds_what_it_lacked(client, auth):
    first = client.post(CLAIMS, json={"text": TEXT, "appearances": [appearance(ARTICLE[0])]}, headers=auth)
    again = client.post(CLAIMS, headers=auth, json={
        "text": f"  {TEXT}\n", "claimant": {"name": "Sergei Shoigu"},
        "appearances": [appearance(ARTICLE[1]), appearance("https://example.net/s300", stance="asserts")]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Location"] == first.headers["Location"]
    assert again.json["id"] == first.json["id"]
    assert again.json["claimant"]["name"] == "Sergei Shoigu"  # it had none
    assert [a["url"] for a in again.json["appearances"]] == ["https://example.com/2018/09/plane",
                                                             "https://example.net/s300"]
    assert again.json == get_claim(client, first.json["id"])
    assert (_count(Claim), _count(Appearance)) == (1, 2)
    # Nothing new, nothing written: the same answer.
    assert client.post(CLAIMS, json={"text": TEXT}, headers=auth).json == again.json


def test_a_stored_claimant_is_never_replaced(client, auth):
    create_claim(client, auth, TEXT, claimant={"name": "Vladimir Putin"})
    again = client.post(CLAIMS, json={"text": TEXT, "claimant": {"name": "Sergei Shoigu"}}, headers=auth)
    assert again.status_code == 200 and again.json["claimant"]["name"] == "Vladimir Putin"


def test_two_newsrooms_posting_one_text_share_one_claim_and_keep_their_own_verdicts(client, newsrooms):
    a, b = newsrooms
    mine = create_claim(client, a.factchecker, TEXT)
    published = post_verdict(client, a.factchecker, mine["id"], "Mostly True")
    draft = post_verdict(client, a.factchecker, mine["id"], "False", status="draft")
    theirs = client.post(CLAIMS, headers=b.factchecker, json={
        "text": TEXT, "appearances": [appearance("https://desk-b.example.org/s300")]})
    assert theirs.status_code == 200 and theirs.json["id"] == mine["id"]
    assert [v["id"] for v in theirs.json["verdicts"]] == [published["id"]]  # A's draft stays A's
    for verdict in (published, draft):
        assert client.get(f"{VERDICTS}/{verdict['id']}", headers=a.factchecker).json == verdict
    # B posting the same text again neither supersedes nor changes A's verdicts.
    assert client.post(CLAIMS, json={"text": TEXT}, headers=b.factchecker).json["verdicts"] == theirs.json["verdicts"]
    assert _count(Claim) == 1
    # The appearance B added is B's in the claim's history.
    added = [e for e in history(client, mine["id"]) if e["action"] == "appearance.added"]
    assert [e["by"]["newsroom"] for e in added] == [b.name]


def test_bulk_and_claimreview_imports_store_each_source_once(app):
    variants = [{"url": url} for url in ARTICLE]
    bulk.import_claims([{"text": TEXT, "appearances": variants[:2]}, {"text": TEXT, "appearances": variants[2:]},
                        {"text": "Another claim on the S-300.", "appearances": variants}])
    review = {"index": 0, "path": "$", "claim": {"text": TEXT, "appearances": variants}, "verdict": {
        "publisher": {"name": "PolitiFact", "site": "politifact.com"}, "rating": "False",
        "url": "https://politifact.com/factchecks/s300"}}
    assert claimreview_import.import_review(review) == "created"
    assert (_count(Claim), _count(Article), _count(Appearance)) == (2, 1, 2)
