"""Linking with the semantic stage: rewordings found by meaning and scored by the fitted decision."""
from factcheck.matching import SCORER, Thresholds
from factcheck.services.links import decisions as links
from factcheck.services.links.calibration import current_decision
from tests.api.helpers import create_claim, link_between
from tests.conftest import bearer
from tests.console.test_console_app import signed_in

NOTIFIED = "Israel notified Russia in advance of its airstrike on Latakia, the military said."


def test_a_rewording_is_linked_by_the_decision(client, auth):
    first = create_claim(client, auth, NOTIFIED)
    reworded = create_claim(client, auth, "Israel informed Russia of the Latakia airstrike ahead of time, the army said.")
    link = link_between(client, first["id"], reworded["id"])
    assert link is not None
    assert link["scorer"].startswith("decision/")
    assert 0 <= link["score"] <= 100


def test_a_look_alike_with_another_number_is_not_confirmed(client, auth):
    first = create_claim(client, auth, "Fifteen Russian servicemen died when the Il-20 plane was shot down over Syria.")
    other = create_claim(client, auth, "Fifty Russian servicemen died when the Il-20 plane was shot down over Syria.")
    link = link_between(client, first["id"], other["id"])
    assert link is None or link["status"] == "suggested"


def test_an_unrelated_claim_is_not_linked(client, auth):
    first = create_claim(client, auth, NOTIFIED)
    other = create_claim(client, auth, "Russia will provide Syria with S-300 air defence systems within two weeks.")
    assert link_between(client, first["id"], other["id"]) is None


def test_the_queue_explains_a_decision_link_by_its_own_thresholds_and_meaning(client, auth):
    first = create_claim(client, auth, NOTIFIED)
    reworded = create_claim(client, auth, "Israel informed Russia of the Latakia airstrike ahead of time, the army said.")
    link = link_between(client, first["id"], reworded["id"])
    response = client.get("/api/v1/links", query_string={"status": link["status"]})
    assert response.status_code == 200
    (item,) = [item for item in response.json["items"] if item["id"] == link["id"]]
    decision = current_decision()
    assert item["scorer"] == decision.scorer
    assert 0.5 < item["parts"]["cosine"] <= 1.0
    # Held to the decision's thresholds, not to the words' MATCH_AUTO_THRESHOLD.
    assert ("below_auto_threshold" in item["held_back"]) == (item["score"] < decision.auto)


def test_a_links_thresholds_are_its_scorers(app):
    decision = current_decision()
    assert links.thresholds_of(decision.scorer) == Thresholds(suggest=decision.suggest, auto=decision.auto)
    assert links.thresholds_of(SCORER) == Thresholds(suggest=app.config["MATCH_SUGGEST_THRESHOLD"],
                                                     auto=app.config["MATCH_AUTO_THRESHOLD"])
    assert decision.auto != app.config["MATCH_AUTO_THRESHOLD"]


def test_the_console_explains_a_decision_link_by_words_and_meaning(app, client, auth):
    create_claim(client, auth, NOTIFIED)
    create_claim(client, auth, "Israel informed Russia of the Latakia airstrike ahead of time, the army said.")
    browser = app.test_client()
    signed_in(browser, bearer("factchecker"))
    page = browser.get("/console/").get_data(as_text=True)
    assert "the link decision's" in page and "cosine 0." in page
    assert "the mean of word-set overlap" not in page
