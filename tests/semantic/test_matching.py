"""'Has this been checked?' by meaning and words together; by words alone when the stage is off."""
import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import ClaimVector
from factcheck.services.links.embeddings import semantic
from tests.api.articles import candidate, post_article
from tests.api.helpers import CLAIMS, create_claim, if_match, match
from tests.conftest import bearer, make_app

NOTIFIED = "Israel notified Russia in advance of its airstrike on Latakia."
STORE = [
    NOTIFIED,
    "The Russian plane was downed because of premeditated actions by Israeli pilots.",
    "Russia will provide Syria with S-300s.",
    "Israel has been very successful in preventing an Iranian military presence in Syria.",
]


@pytest.fixture
def stored(client, auth):
    return {text: create_claim(client, auth, text)["id"] for text in STORE}


S300 = STORE[2]
REWORDED = "Moscow to supply Damascus with anti-aircraft missiles"  # no word in common with S300


@pytest.mark.parametrize(("text", "checked"), [
    (REWORDED, S300),
    ("Jerusalem gave the Kremlin advance notice of the bombing raid", NOTIFIED),
    ("The IDF says it warned the Kremlin ahead of the Latakia strike", NOTIFIED),  # a tweet's wording
    # a quote with its attribution stripped
    ("\"We have been very successful in stopping Iran entrenching militarily in Syria\"", STORE[3]),
])
def test_a_rewording_finds_the_checked_claim(client, stored, text, checked):
    assert match(client, text)[0]["claim"]["id"] == stored[checked]


def test_words_alone_miss_what_meaning_finds(client, stored, database_url):
    assert match(client, REWORDED)[0]["claim"]["id"] == stored[S300]
    with make_app(database_url, SEMANTIC_MODEL="off").app_context() as context:
        words_alone = context.app.test_client()
        assert match(words_alone, REWORDED) == []
        # ... and still ranks by words, as without the stage.
        assert match(words_alone, "Russia will give Syria S-300s")[0]["claim"]["id"] == stored[S300]


def test_a_removed_claim_is_not_found_by_meaning(client, stored):
    url = f"{CLAIMS}/{stored[S300]}"
    response = client.delete(url, query_string={"reason": "Spam."}, headers=if_match(client, url, bearer("editor")))
    assert response.status_code == 204
    found = match(client, REWORDED)
    assert found and stored[S300] not in {item["claim"]["id"] for item in found}


def test_an_unknown_model_matches_by_words_alone(database_url, app, stored):
    other = make_app(database_url, SEMANTIC_MODEL="no-such-model")
    with other.app_context():
        assert semantic() is None
        client = other.test_client()
        assert match(client, REWORDED) == []
        created = create_claim(client, bearer("factchecker"), "Syria shot down the Russian plane by mistake.")
        assert db.session.scalar(select(func.count()).where(ClaimVector.claim_id == created["id"])) == 0


def test_an_articles_candidates_are_matched_as_each_alone(client, stored):
    """An article's candidates are matched in one batch; each answer is the one its claim
    gets from /claims/match, and the notification claim finds the stored one by meaning."""
    response = post_article(client, bearer("factchecker"))
    assert response.status_code == 201, response.json
    candidates = response.json["candidates"]
    assert len(candidates) > 5
    for found in candidates:
        alone = match(client, found["claim"], limit=len(found["matches"]) or 1)
        assert [(m["claim"]["id"], m["score"]) for m in found["matches"]] == \
            [(m["claim"]["id"], m["score"]) for m in alone][:len(found["matches"])]
    notified = candidate(response.json, "notified of the raid in advance")
    assert notified["matches"][0]["claim"]["id"] == stored[NOTIFIED]
