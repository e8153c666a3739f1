"""What a newsroom signs with is its alone on every write path (the API, ClaimReview import,
bulk import): its site and the sites under it, its name in any spelling, its review urls."""
import json

import pytest

from tests.api.helpers import CLAIMS, assert_problem, create_claim, get_claim, verdict
from tests.api.newsrooms import patch_verdict, post_verdict
from tests.api.test_verdict_integrity import TEXT, cli, consensus, import_, published, review


def _bulk(app, tmp_path, organisation: str, *verdicts: dict):
    """`flask import-claims --organisation` of one claim (TEXT) with these verdicts."""
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps({"text": TEXT, "verdicts": list(verdicts)}) + "\n", encoding="utf-8")
    return cli(app, "import-claims", "--organisation", organisation, str(path))


# --- the sites under a newsroom's site ---

@pytest.mark.parametrize("site", ["news.desk-a.example.org", "WWW.Fact.Desk-A.example.org"])
def test_a_site_under_a_newsrooms_site_is_that_newsrooms(app, client, newsrooms, checked, tmp_path, site):
    a, b = newsrooms
    summary = import_(client, b.factchecker, review(site, "https://desk-b.example.org/checks/sub", text=TEXT))
    assert summary["created"] == 0 and "desk-a.example.org" in summary["rejected"][0]["errors"]["author"][0]
    result = _bulk(app, tmp_path, b.name, verdict("False", site=site))
    assert "rejected 1 lines" in result.output and "desk-a.example.org" in result.output, result.output
    assert published(client, checked["id"]) == [(a.site, "True")]
    assert consensus(client, checked["id"]) == {"category": "true", "score": 1.0}

    # Desk A's own import of a review under it is Desk A's verdict.
    assert import_(client, a.factchecker, review(site, "https://desk-a.example.org/checks/sub"))["created"] == 1
    ours = [v for v in get_claim(client, checked["id"])["verdicts"] if v["publisher"]["site"] != a.site]
    assert [v["organisation_id"] for v in ours] == [a.id]


def test_a_newsroom_under_another_newsrooms_site_is_itself(client, operator_auth, newsrooms):
    a, _ = newsrooms
    from tests.api.newsrooms import newsroom

    inner = newsroom(client, operator_auth, "Desk A Local", "local.desk-a.example.org")
    claim = create_claim(client, inner.factchecker, TEXT)
    assert post_verdict(client, inner.factchecker, claim["id"], "False")["organisation_id"] == inner.id
    local = review("local.desk-a.example.org", "https://local.desk-a.example.org/x")
    summary = import_(client, a.factchecker, local)
    assert summary["created"] == 0 and summary["rejected"]


# --- a newsroom's name ---

NAMES = ["Desk A", "DESK A", "Ｄｅｓｋ Ａ", "Desk\u200b A", " desk  a "]


@pytest.mark.parametrize("name", NAMES)
def test_a_verdict_is_never_signed_with_another_newsrooms_name(app, client, newsrooms, checked, tmp_path,
                                                                name):
    a, b = newsrooms
    body = {"rating": "Pants on Fire", "publisher": {"name": name, "site": b.site}}
    assert_problem(client.post(f"{CLAIMS}/{checked['id']}/verdicts", json=body, headers=b.factchecker),
                   403, "publisher")
    own_site = review(b.site, "https://desk-b.example.org/checks/9")
    external = review("snopes.com", "https://www.snopes.com/fact-check/bridge/")
    summary = import_(client, b.factchecker, *({**r, "author": {**r["author"], "name": name}}
                                               for r in (own_site, external)))
    assert summary["created"] == 0 and [item["index"] for item in summary["rejected"]] == [0, 1]
    assert all("name of a newsroom" in item["errors"]["author"][0] for item in summary["rejected"])
    result = _bulk(app, tmp_path, b.name, verdict("False", site="snopes.com", name=name))
    assert "rejected 1 lines" in result.output and "name of a newsroom" in result.output, result.output
    renamed = {**external, "author": {**external["author"], "name": name}}
    result = cli(app, "import-claimreview", _file(tmp_path, renamed))
    assert "rejected 1" in result.output, result.output

    assert published(client, checked["id"]) == [(a.site, "True")]
    # Desk A signs with it, or with any name of its own.
    for signed in (name, "Desk A Fact Check"):
        body = post_verdict(client, a.factchecker, checked["id"], "True",
                            publisher={"name": signed, "site": a.site})
        assert body["publisher"]["site"] == a.site


def _file(tmp_path, *reviews: dict) -> str:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(list(reviews)), encoding="utf-8")
    return str(path)


# --- a newsroom's review urls ---

def test_a_url_on_a_newsrooms_site_is_its_reviews_alone(app, client, newsrooms, checked, tmp_path):
    a, b = newsrooms
    taken = "https://desk-a.example.org/checks/2"
    claim = create_claim(client, b.factchecker, "Another claim about the bridge.")
    assert_problem(client.post(f"{CLAIMS}/{claim['id']}/verdicts", json={"rating": "False", "url": taken},
                               headers=b.factchecker), 403, "url")
    mine = post_verdict(client, b.factchecker, claim["id"], "False", url="https://desk-b.example.org/checks/2")
    assert_problem(patch_verdict(client, b.editor, mine["id"], url=taken), 403, "url")
    for site in (b.site, "snopes.com"):
        summary = import_(client, b.factchecker, review(site, taken, text="Another claim about the bridge."))
        assert summary["created"] == 0 and "desk-a.example.org" in summary["rejected"][0]["errors"]["url"][0]
    result = _bulk(app, tmp_path, b.name, verdict("False", site=b.site, name=b.name, url=taken))
    assert "rejected 1 lines" in result.output, result.output
    result = cli(app, "import-claimreview", _file(tmp_path, review("snopes.com", taken)))
    assert "rejected 1" in result.output, result.output

    # So Desk A's review at that url is still Desk A's to import.
    own = review(a.site, taken, rating="Mostly False", text="Another claim about the bridge.")
    summary = import_(client, a.factchecker, own)
    assert summary["created"] == 1, summary
    assert (a.site, "Mostly False") in published(client, claim["id"])


# --- a site given to a newsroom takes the reviews stored in its name ---

def test_a_newsroom_given_a_site_takes_the_reviews_stored_in_its_name(app, client, newsrooms, operator_auth):
    from tests.api.newsrooms import ORGANISATIONS, newsroom

    _, b = newsrooms
    forged = [review("desk-c.example.org", "https://desk-c.example.org/checks/1", text=TEXT),
              review("news.desk-d.example.org", "https://news.desk-d.example.org/1", text="Another claim.")]
    assert import_(client, b.factchecker, *forged)["created"] == 2
    before = {v["url"]: v for v in client.get("/api/v1/claimreviews").json["dataFeedElement"]}

    c = newsroom(client, operator_auth, "Desk C", "desk-c.example.org")  # made with its site
    assert cli(app, "create-token", "--name", "d", "--organisation", "Desk D", "--site", "elsewhere.example.org"
               ).exit_code == 0
    assert cli(app, "set-site", "Desk D", "desk-d.example.org").exit_code == 0  # given it later
    (d,) = [o for o in client.get(ORGANISATIONS, headers=operator_auth).json["items"] if o["name"] == "Desk D"]

    claims = {c_["text"]: c_ for c_ in client.get(CLAIMS).json["items"]}
    taken = {v["publisher"]["site"]: v for claim in claims.values() for v in claim["verdicts"]}
    assert taken["desk-c.example.org"]["organisation_id"] == c.id
    assert taken["news.desk-d.example.org"]["organisation_id"] == d["id"]
    # Still marked as Desk B's import, in the feed where they were; Desk B may no longer touch
    # them, Desk C may withdraw the one in its name.
    assert taken["desk-c.example.org"]["imported_by_id"] == b.id
    after = {v["url"]: v for v in client.get("/api/v1/claimreviews").json["dataFeedElement"]}
    assert list(after) == list(before)
    summary = import_(client, b.factchecker, {**forged[0], "reviewRating": {"alternateName": "True"}})
    assert summary["rejected"] and "desk-c.example.org" in summary["rejected"][0]["errors"]["author"][0]
    response = patch_verdict(client, c.editor, taken["desk-c.example.org"]["id"], status="withdrawn",
                             reason="Not ours.")
    assert response.status_code == 200, response.json
    history = client.get(f"{CLAIMS}/{claims[TEXT]['id']}/history").json["items"]
    assert [e["action"] for e in history][:2] == ["verdict.withdrawn", "verdict.taken"]


# --- an IDN site is one site, whatever its spelling ---

def test_an_idn_publishers_reviews_are_one_publishers_and_its_newsrooms(app, client, newsrooms, tmp_path):
    _, b = newsrooms
    unicode = review("bücher.example", "https://bücher.example/prüfung/1", text="Books are cheaper in winter.")
    assert import_(client, b.factchecker, unicode)["created"] == 1
    ascii_ = review("www.XN--BCHER-KVA.example", "https://xn--bcher-kva.example/pr%C3%BCfung/2",
                    text="Books are cheaper in winter.")
    assert import_(client, b.factchecker, ascii_)["created"] == 1
    (claim,) = client.get(CLAIMS, query_string={"q": "Books cheaper winter"}).json["items"]
    assert {v["publisher"]["site"] for v in claim["verdicts"]} == {"xn--bcher-kva.example"}
    result = _bulk(app, tmp_path, b.name, verdict("False", site="xn--prfung-cta.xn--p1ai", name="Проверка"))
    assert "rejected 0 lines" in result.output, result.output

    # Given to a newsroom in either spelling, it is that newsroom's alone.
    assert cli(app, "create-token", "--name", "c", "--organisation", "Bücher Desk", "--site", "https://Bücher.example/"
               ).exit_code == 0
    later = review("bücher.example", "https://bücher.example/prüfung/3", text="Books are cheaper in winter.")
    summary = import_(client, b.factchecker, later)
    assert summary["created"] == 0 and "xn--bcher-kva.example" in summary["rejected"][0]["errors"]["author"][0]
