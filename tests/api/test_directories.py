"""The claimant and outlet directories: prefix search, keyset pages, claim counts."""
import pytest

from tests.api.helpers import CLAIMS, assert_problem, create_claim, if_match, walk

CLAIMANTS = "/api/v1/claimants"
OUTLETS = "/api/v1/outlets"


def names(client, url: str, **params) -> list:
    response = client.get(url, query_string={"limit": 100, **params})
    assert response.status_code == 200, response.json
    return [(item.get("domain") or item["name"], item["claims"]) for item in response.json["items"]]


def test_claimants_by_the_start_of_any_word_with_their_claims(client, newsrooms):
    a, b = newsrooms
    create_claim(client, a.factchecker, "Crime fell by half in New York.", claimant={"name": "Rudy Giuliani"})
    create_claim(client, b.factchecker, "Mexico will pay for the wall.", claimant={"name": "rudy  GIULIANI"})
    create_claim(client, a.factchecker, "The election was stolen.", claimant={"name": "Donald Trump"})
    create_claim(client, a.factchecker, "Gold is rising.", claimant={"name": "Rudolf Gold"})

    assert names(client, CLAIMANTS) == [("Donald Trump", 1), ("Rudolf Gold", 1), ("Rudy Giuliani", 2)]
    assert names(client, CLAIMANTS, prefix="Rud") == [("Rudolf Gold", 1), ("Rudy Giuliani", 2)]
    assert names(client, CLAIMANTS, prefix="giu") == [("Rudy Giuliani", 2)]
    assert names(client, CLAIMANTS, prefix="rudy g") == [("Rudy Giuliani", 2)]
    assert names(client, CLAIMANTS, prefix="udy") == []
    assert names(client, CLAIMANTS, prefix="%") == []


def test_outlets_by_domain_or_name_and_removed_claims_leave_the_counts(client, newsrooms):
    a, b = newsrooms
    printed = [{"url": "https://www.bbc.co.uk/news/1", "outlet": {"name": "BBC News"}},
               {"url": "https://www.reuters.com/world/2"}]
    kept = create_claim(client, a.factchecker, "Inflation hit ten percent.", appearances=printed)
    spam = create_claim(client, b.factchecker, "Cheap pills here.", appearances=printed[:1])
    assert names(client, OUTLETS) == [("bbc.co.uk", 2), ("reuters.com", 1)]
    assert names(client, OUTLETS, prefix="news") == [("bbc.co.uk", 2)]
    assert names(client, OUTLETS, prefix="www.reu") == [("reuters.com", 1)]
    url = f"{CLAIMS}/{spam['id']}"
    removal = client.delete(url, query_string={"reason": "Spam."}, headers=if_match(client, url, a.editor))
    assert removal.status_code == 204
    assert names(client, OUTLETS, prefix="bbc") == [("bbc.co.uk", 1)]
    assert kept["id"] in [c["id"] for c in client.get(CLAIMS, query_string={"outlet": "bbc.co.uk"}).json["items"]]


@pytest.mark.parametrize("url", [CLAIMANTS, OUTLETS])
def test_directories_walk_in_keyset_pages(client, auth, url):
    for n in range(5):
        create_claim(client, auth, f"Claim number {n} about budgets.", claimant={"name": f"Person {n}"},
                     appearances=[{"url": f"https://outlet{n}.example.com/story"}])
    items = walk(client, url, limit=2)
    assert [item["claims"] for item in items] == [1] * 5
    assert [item.get("domain") or item["name"] for item in items] == sorted(
        item.get("domain") or item["name"] for item in items)
    assert_problem(client.get(url, query_string={"cursor": "nope"}), 422, "cursor")
    assert_problem(client.get(url, query_string={"prefix": ""}), 422, "prefix")
