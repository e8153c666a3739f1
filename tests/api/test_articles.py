"""POST /api/v1/articles: an article analysed into attributed, scored candidates, with their matches."""
import pytest

from factcheck.semantic import SemanticUnavailable
from factcheck.services.claims import articles as article_service
from tests.api.articles import ARTICLES, STORY, URL, candidate, post_article
from tests.api.helpers import PROBLEM_JSON, create_claim
from tests.conftest import set_settings

NETANYAHU = "Prime Minister Benjamin Netanyahu"


@pytest.fixture
def seed_story(client, auth) -> dict:
    response = post_article(client, auth)
    assert response.status_code == 201, response.json
    return response.json


def test_the_seed_story_gives_its_claims_with_who_makes_them_and_how(seed_story):
    notified = candidate(seed_story, "Russia was notified of the raid in advance")
    assert (notified["claimant"], notified["stance"]) == ("Israel", "asserts")
    shield = "used the plane as a shield"
    assert candidate(seed_story, shield, "Russia")["stance"] == "asserts"
    assert candidate(seed_story, shield, "Israel")["stance"] == "denies"
    peskov = candidate(seed_story, "premeditated actions by Israeli pilots")
    assert (peskov["claimant"], peskov["stance"]) == ("Kremlin spokesman Dmitry Peskov", "asserts")
    assert peskov["quote"] in STORY
    crew = candidate(seed_story, "15 crew members were killed")
    assert (crew["claimant"], crew["stance"], crew["quote"]) == (None, "reports", None)
    s300 = candidate(seed_story, "Russia would provide Syria with S-300s")
    assert (s300["claimant"], s300["stance"]) == ("President Putin", "asserts")
    iran = candidate(seed_story, "Israel has been very successful in preventing")
    assert (iran["claimant"], iran["stance"]) == (NETANYAHU, "asserts")
    # "he said", "the prime minister concluded": the name given first.
    assert candidate(seed_story, "I have spoken twice with President Putin")["claimant"] == NETANYAHU
    assert candidate(seed_story, "whatever is necessary to protect")["claimant"] == NETANYAHU


def test_the_checkable_score_high_and_the_opinion_low(seed_story):
    bolton = candidate(seed_story, "major mistake")
    assert bolton["claimant"] == "U.S. National Security Adviser John Bolton"
    assert bolton["checkworthiness"] < 0.5
    for words in ("Russia was notified", "15 crew members were killed", "S-300s"):
        assert candidate(seed_story, words)["checkworthiness"] >= 0.5, words
    ranked = sorted(seed_story["candidates"], key=lambda c: -c["checkworthiness"])
    assert ranked.index(bolton) >= len(ranked) // 2


def test_each_candidate_is_where_its_offsets_say(seed_story):
    text = seed_story["text"]
    assert seed_story["language"] == "en" and seed_story["attributed"]
    for found in seed_story["candidates"]:
        assert text[found["start"]:found["end"]] == found["sentence"]
        assert found["quote"] is None or all(part in text for part in found["quote"].split(" … "))
        assert 0 <= found["checkworthiness"] <= 1


def test_candidates_come_with_the_stored_claims_they_match(client, auth):
    stored = create_claim(client, auth, "Fifteen crew members were killed when the Russian plane was shot down.")
    document = post_article(client, auth).json
    crew = candidate(document, "15 crew members were killed")
    assert crew["matches"][0]["claim"]["id"] == stored["id"]
    assert {"score", "claim"} <= set(crew["matches"][0])
    again = client.get(f"{ARTICLES}/{document['id']}").json
    assert candidate(again, "15 crew members were killed")["matches"][0]["claim"]["id"] == stored["id"]


def test_one_article_per_url_a_second_post_updates_it(client, auth, seed_story):
    assert seed_story["updated"] is False
    again = post_article(client, auth, url=URL.replace("https://www.", "https://"), title="New title")
    assert again.status_code == 200
    assert again.json["updated"] is True and again.json["id"] == seed_story["id"]
    assert again.json["title"] == "New title"
    assert again.headers["Location"].endswith(f"{ARTICLES}/{seed_story['id']}")
    changed = post_article(client, auth, text=STORY + "\nThe ministry said 3 new flights were cancelled.")
    assert changed.status_code == 200
    assert candidate(changed.json, "3 new flights were cancelled")
    assert len(changed.json["candidates"]) == len(seed_story["candidates"]) + 1


def test_html_is_read_for_its_main_text(client, auth):
    paragraphs = "".join(f"<p>{line}</p>" for line in STORY.splitlines() if line.strip())
    html = f"<html><head><title>x</title></head><body><nav>Home | World</nav><article>{paragraphs}</article></body></html>"
    response = post_article(client, auth, text=None, html=html)
    assert response.status_code == 201, response.json
    assert "Home | World" not in response.json["text"]
    assert candidate(response.json, "Russia was notified")["claimant"] == "Israel"


def test_another_language_is_analysed_as_far_as_the_tools_go(client, auth):
    text = ("Le gouvernement a annoncé mardi que 15 membres d'équipage avaient été tués. "
            "Selon le ministère, l'avion a été abattu par la défense aérienne syrienne.")
    response = post_article(client, auth, url="https://www.example.fr/monde/1", text=text, outlet=None)
    assert response.status_code == 201, response.json
    assert response.json["language"] == "fr" and response.json["attributed"] is False
    assert len(response.json["candidates"]) == 2
    assert all(c["claimant"] is None and c["stance"] == "reports" for c in response.json["candidates"])


def test_without_sentence_embeddings_the_n_gram_model_scores(client, auth, monkeypatch):
    def unavailable(name, *how):
        raise SemanticUnavailable("not installed")
    monkeypatch.setattr(article_service, "load_encoder", unavailable)
    response = post_article(client, auth)
    assert response.status_code == 201
    assert response.json["checkworthiness_model"] == "ngrams"
    assert candidate(response.json, "15 crew members were killed")["checkworthiness"] >= 0.5


@pytest.mark.parametrize(("fields", "field"), [
    ({"text": ""}, "text"),
    ({"text": "   \n "}, "text"),
    ({"text": 42}, "text"),
    ({"text": None, "html": "<html><body><script>var a = 1;</script></body></html>"}, "html"),
    ({"text": "... --- !!!"}, "text"),
    ({"html": "<p>Both at once.</p>"}, "_schema"),
    ({"text": None}, "_schema"),
    ({"url": "not a url"}, "url"),
    ({"published_at": "3026-01-01T00:00:00Z"}, "published_at"),
    ({"body": "unknown"}, "body"),
])
def test_bad_articles_are_refused_with_a_problem(client, auth, fields, field):
    response = post_article(client, auth, **fields)
    assert response.status_code == 422, response.json
    assert response.mimetype == PROBLEM_JSON
    assert field in response.json.get("errors", {}), response.json


def test_too_long_an_article_is_413(client, auth, app, monkeypatch):
    set_settings(monkeypatch, app, article_max_chars=1000)
    response = post_article(client, auth)
    assert response.status_code == 413 and response.mimetype == PROBLEM_JSON
    assert "1000" in response.json["detail"]
    html = "<html><body><article>" + "<p>Words of news here.</p>" * 200 + "</article></body></html>"
    assert post_article(client, auth, text=None, html=html).status_code == 413
    assert client.get(f"{ARTICLES}/1").status_code == 404


def test_posting_takes_a_factchecker_and_reading_takes_nothing(client, reader_auth, seed_story):
    assert post_article(client, {}).status_code == 401
    assert post_article(client, reader_auth).status_code == 403
    shown = client.get(f"{ARTICLES}/{seed_story['id']}")
    assert shown.status_code == 200
    assert [c["id"] for c in shown.json["candidates"]] == [c["id"] for c in seed_story["candidates"]]
    assert client.get(f"{ARTICLES}/999").status_code == 404
