"""`flask seed` posts its story for analysis: the demo shows the candidates, the seeded claims stay as they are."""
from tests.api.articles import ARTICLES, candidate


def _claims(client) -> list[dict]:
    return client.get("/api/v1/claims", query_string={"limit": 100}).json["items"]


def test_the_seed_posts_its_story_and_its_candidates_match_the_seeded_claims(app, client):
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Posted the story as article" in result.output
    claims = _claims(client)
    assert len(claims) == 8

    story = client.get(f"{ARTICLES}/1").json
    assert story["url"].startswith("https://breitbart.com/middle-east/2018/09/26/")
    notified = candidate(story, "Russia was notified of the raid in advance")
    assert (notified["claimant"], notified["stance"]) == ("Israel", "asserts")
    shield = "used the plane as a shield"
    assert candidate(story, shield, "Russia")["stance"] == "asserts"
    assert candidate(story, shield, "Israel")["stance"] == "denies"
    assert candidate(story, "premeditated actions")["claimant"] == "Kremlin spokesman Dmitry Peskov"
    assert candidate(story, "15 crew members were killed")["stance"] == "reports"
    assert "Putin" in candidate(story, "S-300s")["claimant"]
    assert candidate(story, "very successful in preventing")["claimant"] == "Prime Minister Benjamin Netanyahu"
    assert candidate(story, "major mistake")["checkworthiness"] < 0.5
    # What the seed stored is what they match.
    crew = candidate(story, "15 crew members were killed")["matches"][0]["claim"]
    assert "15 crew members" in crew["text"] and crew["verdicts"]
    assert _claims(client) == claims  # reading the article asks nothing

    again = app.test_cli_runner().invoke(args=["seed"])
    assert again.exit_code == 0 and "Updated the story as article 1" in again.output
    assert _claims(client) == claims
