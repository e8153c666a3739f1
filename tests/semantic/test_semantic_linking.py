"""Linking with the semantic stage: rewordings found by meaning and scored by the fitted decision."""
from tests.api.helpers import create_claim, link_between

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
