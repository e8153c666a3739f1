"""Accepting an article's candidate (a claim with its appearance) or rejecting it: per newsroom, idempotent, audited."""
import pytest

from factcheck.identity import canonical_url
from tests.api.articles import ARTICLES, URL, candidate, decide, post_article
from tests.api.helpers import CLAIMS, PROBLEM_JSON, create_claim
from tests.api.newsrooms import audit_entries


@pytest.fixture
def story(client, newsrooms) -> dict:
    response = post_article(client, newsrooms[0].factchecker)
    assert response.status_code == 201, response.json
    return response.json


def test_accepting_makes_a_claim_with_the_article_as_its_appearance(client, newsrooms, story):
    desk_a = newsrooms[0]
    notified = candidate(story, "Russia was notified of the raid in advance")
    response = decide(client, desk_a.factchecker, story["id"], notified["id"])
    assert response.status_code == 201, response.json
    assert response.json["decision"]["decision"] == "accepted"
    claim = client.get(f"{CLAIMS}/{response.json['decision']['claim_id']}").json
    assert claim["text"] == "Russia was notified of the raid in advance."
    assert claim["claimant"]["name"] == "Israel"
    (appearance,) = claim["appearances"]
    assert appearance["url"] == canonical_url(URL)
    assert appearance["outlet"]["name"] == "Breitbart News"
    assert (appearance["claimant"]["name"], appearance["stance"]) == ("Israel", "asserts")
    assert appearance["quote"] == notified["sentence"]

    peskov = candidate(story, "premeditated actions")
    quoted = decide(client, desk_a.factchecker, story["id"], peskov["id"]).json
    claim = client.get(f"{CLAIMS}/{quoted['decision']['claim_id']}").json
    assert claim["appearances"][0]["quote"] == peskov["quote"]
    assert claim["claimant"]["name"] == "Kremlin spokesman Dmitry Peskov"


def test_deciding_again_changes_nothing_and_a_different_decision_conflicts(client, newsrooms, story):
    desk_a = newsrooms[0]
    crew, bolton = candidate(story, "15 crew members"), candidate(story, "major mistake")
    first = decide(client, desk_a.factchecker, story["id"], crew["id"])
    again = decide(client, desk_a.factchecker, story["id"], crew["id"])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["decision"] == first.json["decision"]
    claim = client.get(f"{CLAIMS}/{first.json['decision']['claim_id']}").json
    assert len(claim["appearances"]) == 1
    assert client.get(CLAIMS).json["items"] == [claim]

    rejected = decide(client, desk_a.factchecker, story["id"], bolton["id"], "rejected")
    assert rejected.status_code == 201 and rejected.json["decision"]["claim_id"] is None
    assert decide(client, desk_a.factchecker, story["id"], bolton["id"], "rejected").status_code == 200
    conflict = decide(client, desk_a.factchecker, story["id"], bolton["id"])
    assert conflict.status_code == 409 and conflict.mimetype == PROBLEM_JSON
    assert decide(client, desk_a.factchecker, story["id"], crew["id"], "rejected").status_code == 409
    assert len(client.get(CLAIMS).json["items"]) == 1


def test_each_newsroom_decides_for_itself_and_sees_its_own_decisions(client, newsrooms, story):
    desk_a, desk_b = newsrooms
    bolton = candidate(story, "major mistake")
    assert decide(client, desk_a.factchecker, story["id"], bolton["id"], "rejected").status_code == 201

    def shown(auth):
        return candidate(client.get(f"{ARTICLES}/{story['id']}", headers=auth).json, "major mistake")["decision"]
    assert shown(desk_a.reader)["decision"] == "rejected"
    assert shown(desk_b.reader) is None
    assert shown({}) is None
    # Desk B's own decision, whatever Desk A's.
    accepted = decide(client, desk_b.factchecker, story["id"], bolton["id"])
    assert accepted.status_code == 201
    assert shown(desk_b.reader)["decision"] == "accepted"
    assert shown(desk_a.reader)["decision"] == "rejected"

    actions_a = [e["action"] for e in audit_entries(client, desk_a.editor)]
    actions_b = [e["action"] for e in audit_entries(client, desk_b.editor)]
    assert "candidate.rejected" in actions_a and "candidate.rejected" not in actions_b
    assert "candidate.accepted" in actions_b and "candidate.accepted" not in actions_a
    assert "article.posted" in actions_a


def test_accepting_into_a_named_claim_adds_the_appearance(client, newsrooms, story):
    desk_a = newsrooms[0]
    stored = create_claim(client, desk_a.factchecker, "Israel notified Russia in advance of its airstrike on Latakia.")
    notified = candidate(story, "Russia was notified")
    response = decide(client, desk_a.factchecker, story["id"], notified["id"], claim_id=stored["id"])
    assert response.status_code == 201, response.json
    assert response.json["decision"]["claim_id"] == stored["id"]
    claim = client.get(f"{CLAIMS}/{stored['id']}").json
    assert [(a["claimant"]["name"], a["stance"]) for a in claim["appearances"]] == [("Israel", "asserts")]
    assert len(client.get(CLAIMS).json["items"]) == 1


def test_deciding_takes_a_newsroom_factchecker_and_a_real_candidate(client, newsrooms, story):
    desk_a = newsrooms[0]
    crew = candidate(story, "15 crew members")
    assert decide(client, {}, story["id"], crew["id"]).status_code == 401
    assert decide(client, desk_a.reader, story["id"], crew["id"]).status_code == 403
    assert decide(client, desk_a.factchecker, story["id"], 99999).status_code == 404
    assert decide(client, desk_a.factchecker, 99999, crew["id"]).status_code == 404
    unknown = decide(client, desk_a.factchecker, story["id"], crew["id"], claim_id=99999)
    assert unknown.status_code == 422 and "claim_id" in unknown.json["errors"]
    assert decide(client, desk_a.factchecker, story["id"], crew["id"], "maybe").status_code == 422
    assert client.get(CLAIMS).json["items"] == []
    assert candidate(client.get(f"{ARTICLES}/{story['id']}", headers=desk_a.reader).json,
                     "15 crew members")["decision"] is None


def test_articles_are_shared_and_a_repost_of_the_same_text_keeps_the_decisions(client, newsrooms, story):
    desk_a, desk_b = newsrooms
    crew = candidate(story, "15 crew members")
    assert decide(client, desk_a.factchecker, story["id"], crew["id"], "rejected").status_code == 201
    again = post_article(client, desk_b.factchecker)
    assert again.status_code == 200 and again.json["updated"] is True and again.json["id"] == story["id"]
    shown = client.get(f"{ARTICLES}/{story['id']}", headers=desk_a.reader).json
    assert candidate(shown, "15 crew members")["decision"]["decision"] == "rejected"
