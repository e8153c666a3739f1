"""The seed story as the article tests post it."""
from pathlib import Path

ARTICLES = "/api/v1/articles"
STORY = (Path(__file__).resolve().parents[2] / "seeds" / "il20-article.txt").read_text(encoding="utf-8")
URL = "https://www.breitbart.com/middle-east/2018/09/26/netanyahu-israeli-russian-army-officials-to-work-on-restoring-ties/"
OUTLET = {"name": "Breitbart News", "domain": "breitbart.com"}


def post_article(client, auth: dict, **fields):
    body = {"url": URL, "title": "Netanyahu: Israeli, Russian Army Officials to Work on Restoring Ties",
            "outlet": OUTLET, "published_at": "2018-09-26T12:00:00Z", "text": STORY, **fields}
    return client.post(ARTICLES, json={k: v for k, v in body.items() if v is not None}, headers=auth)


def candidate(document: dict, words: str, claimant: str | None = "any") -> dict:
    """The one candidate whose claim holds these words (and, unless "any", has this claimant)."""
    found = [c for c in document["candidates"] if words in c["claim"]
             and (claimant == "any" or c["claimant"] == claimant)]
    assert len(found) == 1, [(c["claim"], c["claimant"]) for c in document["candidates"]]
    return found[0]


def decide(client, auth: dict, article_id: int, candidate_id: int, decision: str = "accepted", **fields):
    return client.put(f"{ARTICLES}/{article_id}/candidates/{candidate_id}/decision",
                      json={"decision": decision, **fields}, headers=auth)
