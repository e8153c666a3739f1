"""Submitting verdicts: POST /api/v1/claims/{id}/verdicts, and what they do to a claim."""
import pytest

from tests.api.helpers import (
    CLAIMS,
    add_verdict,
    assert_problem,
    create_claim,
    get_claim,
    publisher_auth,
    verdict,
)


@pytest.fixture
def claim(client, auth):
    return create_claim(client, auth, "Israel has largely prevented Iran from entrenching in Syria.")


def test_submit_returns_201_with_label_kept_and_normalised(client, claim):
    response = client.post(f"{CLAIMS}/{claim['id']}/verdicts", json=verdict(
        "Pants on Fire", site="https://www.PolitiFact.com/", name="PolitiFact",
        explanation="No evidence for it.", url="https://www.politifact.com/factchecks/1/",
        review_date="2018-09-28T10:00:00Z",
    ), headers=publisher_auth("politifact.com"))
    assert response.status_code == 201
    body = response.json
    assert body["claim_id"] == claim["id"]
    assert body["rating"] == "Pants on Fire"
    assert body["score"] == 0.0
    assert body["category"] == "false"
    assert body["publisher"] == {"name": "PolitiFact", "site": "politifact.com"}
    assert body["explanation"] == "No evidence for it."
    assert body["url"] == "https://www.politifact.com/factchecks/1/"
    assert body["review_date"].startswith("2018-09-28T10:00:00")
    assert get_claim(client, claim["id"])["verdicts"] == [body]


@pytest.mark.parametrize("rating, site, score, category", [
    ("Pants on Fire", "politifact.com", 0.0, "false"),
    ("Mostly True", "politifact.com", 0.75, "true"),
    ("mostly true", "example.org", 0.75, "true"),
    ("Half True", "politifact.com", 0.5, "mixed"),
    ("Mixture", "snopes.com", 0.5, "mixed"),
    ("Unproven", "snopes.com", None, "unverifiable"),
    ("Missing Context", "factcheck.afp.com", 0.35, "mixed"),
    ("Four Pinocchios", "washingtonpost.com", 0.0, "false"),
    ("Misleading", "fullfact.org", 0.35, "mixed"),
    ("4/5", "example.org", 0.75, "true"),
])
def test_known_labels_are_scored(client, auth, claim, rating, site, score, category):
    body = add_verdict(client, claim["id"], rating, site=site)
    assert body["rating"] == rating
    assert (body["score"], body["category"]) == (score, category)


def test_numeric_rating_is_scaled(client, auth, claim):
    body = add_verdict(client, claim["id"], "Four stars", site="example.org",
                       rating_value=4, best_rating=5, worst_rating=1)
    assert body["rating"] == "Four stars"
    assert (body["rating_value"], body["best_rating"], body["worst_rating"]) == (4, 5, 1)
    assert body["score"] == 0.75
    assert body["category"] == "true"


@pytest.mark.parametrize("numbers, field", [
    # schema.org's bestRating is the scale's highest value, worstRating its lowest.
    ({"rating_value": 4, "best_rating": 1, "worst_rating": 5}, "best_rating"),
    ({"rating_value": 3, "best_rating": 3, "worst_rating": 3}, "best_rating"),
    ({"rating_value": 6, "best_rating": 5, "worst_rating": 1}, "rating_value"),
    ({"rating_value": 0, "best_rating": 5, "worst_rating": 1}, "rating_value"),
    ({"rating_value": 11, "best_rating": 10}, "rating_value"),
    ({"rating_value": -1, "worst_rating": 0}, "rating_value"),
])
def test_a_rating_off_its_scale_is_refused(client, claim, numbers, field):
    body = {**verdict("Grade 4", "example.org"), **numbers}
    response = client.post(f"{CLAIMS}/{claim['id']}/verdicts", json=body, headers=publisher_auth("example.org"))
    assert_problem(response, 422, field)
    assert get_claim(client, claim["id"])["verdicts"] == []


def test_unknown_label_is_kept_as_other(client, auth, claim):
    body = add_verdict(client, claim["id"], "Needs more cowbell", site="example.org")
    assert body["rating"] == "Needs more cowbell"
    assert body["score"] is None
    assert body["category"] == "other"

    shown = get_claim(client, claim["id"])
    assert shown["status"] == "checked"
    assert shown["consensus"] == {"category": "other", "score": None}
    assert shown["verdicts"][0]["rating"] == "Needs more cowbell"


def test_a_verdict_makes_the_claim_checked_with_a_consensus(client, auth, claim):
    add_verdict(client, claim["id"], "Mostly True", site="politifact.com")
    add_verdict(client, claim["id"], "True", site="snopes.com")
    shown = get_claim(client, claim["id"])
    assert shown["status"] == "checked"
    assert shown["consensus"] == {"category": "true", "score": 0.875}
    assert shown["contested_because"] == []
    assert [v["rating"] for v in shown["verdicts"]] == ["Mostly True", "True"]


def test_unscored_verdicts_do_not_drag_the_consensus(client, auth, claim):
    add_verdict(client, claim["id"], "False", site="politifact.com")
    add_verdict(client, claim["id"], "Unproven", site="snopes.com")
    assert get_claim(client, claim["id"])["consensus"] == {"category": "false", "score": 0.0}


def test_a_later_verdict_from_the_same_publisher_supersedes(client, auth, claim):
    add_verdict(client, claim["id"], "True", site="politifact.com")
    add_verdict(client, claim["id"], "False", site="www.politifact.com")
    shown = get_claim(client, claim["id"])
    # Both stay on record; only the latest counts.
    assert [v["rating"] for v in shown["verdicts"]] == ["True", "False"]
    assert shown["status"] == "checked"
    assert shown["consensus"] == {"category": "false", "score": 0.0}


def test_verdicts_disagree_makes_the_claim_contested(client, auth, claim):
    add_verdict(client, claim["id"], "Mostly True", site="demo-factdesk.example.org")
    add_verdict(client, claim["id"], "Mostly False", site="sample-checks.example.org")
    shown = get_claim(client, claim["id"])
    assert shown["status"] == "contested"
    assert shown["contested_because"] == ["verdicts_disagree"]
    assert shown["consensus"] == {"category": "mixed", "score": 0.5}


def test_a_mixed_verdict_against_a_true_one_is_not_a_disagreement(client, auth, claim):
    add_verdict(client, claim["id"], "True", site="snopes.com")
    add_verdict(client, claim["id"], "Half True", site="politifact.com")
    assert get_claim(client, claim["id"])["status"] == "checked"


def test_re_rating_settles_a_contest(client, auth, claim):
    add_verdict(client, claim["id"], "True", site="snopes.com")
    add_verdict(client, claim["id"], "False", site="politifact.com")
    assert get_claim(client, claim["id"])["status"] == "contested"

    add_verdict(client, claim["id"], "Mostly True", site="politifact.com")
    shown = get_claim(client, claim["id"])
    assert shown["status"] == "checked"
    assert shown["contested_because"] == []
    assert shown["consensus"] == {"category": "true", "score": 0.875}
    assert client.get(f"{CLAIMS}/contested").json["items"] == []


def test_one_publisher_contradicting_itself_is_not_contested(client, auth, claim):
    add_verdict(client, claim["id"], "True", site="snopes.com")
    add_verdict(client, claim["id"], "False", site="snopes.com")
    assert get_claim(client, claim["id"])["status"] == "checked"


def test_verdict_for_unknown_claim_is_404(client, auth):
    assert_problem(client.post(f"{CLAIMS}/4242/verdicts", json=verdict("True"), headers=auth), 404)


@pytest.mark.parametrize("body, field", [
    ({"publisher": {"name": "PolitiFact", "site": "politifact.com"}}, "rating"),
    ({"publisher": {"name": "PolitiFact", "site": "politifact.com"}, "rating": "  "}, "rating"),
    ({"publisher": {"name": "PolitiFact"}, "rating": "True"}, "publisher"),
    ({"publisher": {"site": "politifact.com"}, "rating": "True"}, "publisher"),
    ({"publisher": {"name": "PolitiFact", "site": "not a site"}, "rating": "True"}, "publisher"),
    ({"publisher": "PolitiFact", "rating": "True"}, "publisher"),
    ({**verdict("Four stars"), "best_rating": 5}, "rating_value"),
    ({**verdict("Four stars"), "best_rating": 5, "worst_rating": 1}, "rating_value"),
    ({**verdict("Four stars"), "rating_value": "four"}, "rating_value"),
    ({**verdict("Four stars"), "rating_value": "NaN"}, "rating_value"),
    ({**verdict("True"), "url": "not a url"}, "url"),
    ({**verdict("True"), "review_date": "tomorrow"}, "review_date"),
    ({**verdict("True"), "review_date": "2099-01-01T00:00:00Z"}, "review_date"),
    ({**verdict("True"), "score": 1.0}, "score"),
    ({**verdict("True"), "category": "true"}, "category"),
    ({**verdict("True"), "id": 1}, "id"),
    ({**verdict("Tr\u0000ue")}, "rating"),
])
def test_invalid_verdict_is_422(client, auth, claim, body, field):
    assert_problem(client.post(f"{CLAIMS}/{claim['id']}/verdicts", json=body, headers=auth), 422, field)
    assert get_claim(client, claim["id"])["verdicts"] == []


def test_invalid_verdict_for_unknown_claim_is_still_rejected(client, auth):
    response = client.post(f"{CLAIMS}/4242/verdicts", json={"rating": "True"}, headers=auth)
    assert response.status_code in (404, 422)
    assert response.mimetype == "application/problem+json"
