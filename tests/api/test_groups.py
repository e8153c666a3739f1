"""Groups: claims joined by confirmed links share their verdicts, status and consensus."""
from factcheck.services.links.decisions import LINKS_PER_GROUP
from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    NEAR_COPY,
    REWORDED,
    WORDINGS,
    add_verdict,
    claim_links,
    create_claim,
    decide_link,
    get_claim,
    link_between,
    respaced,
)

CONTESTED = f"{CLAIMS}/contested"

# A second claim, far from BASE_CLAIM, with a near-copy and a rewording of its own.
OTHER = "Drinking eight glasses of water every day is necessary for good health, doctors say."
OTHER_COPY = "Drinking eight glasses of water every day is necessary for good health, doctors said."
OTHER_REWORDED = "Doctors say that you need to drink eight glasses of water each day to stay in good health."
# Suggested against OTHER_REWORDED (~75), unlinked to OTHER (~68).
OTHER_FAR = "Health experts claim people must drink eight glasses of water each day to stay in good health."


def _verdict_ids(claim: dict) -> list[int]:
    return [v["id"] for v in claim["verdicts"]]


def test_a_new_claim_is_its_own_group(client, auth):
    claim = create_claim(client, auth, BASE_CLAIM)
    assert claim["group_id"] == claim["id"]
    assert claim["verdicts"] == [] and claim["status"] == "unchecked"


def test_confirmed_link_puts_both_wordings_in_one_group(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    reworded = create_claim(client, auth, REWORDED)  # only suggested: stays apart
    assert copy["group_id"] == get_claim(client, original["id"])["group_id"]
    assert reworded["group_id"] != copy["group_id"]


def test_new_wording_of_a_checked_claim_shows_its_verdicts_at_once(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    verdict = add_verdict(client, original["id"], "False")
    copy = create_claim(client, auth, NEAR_COPY)
    assert _verdict_ids(copy) == [verdict["id"]]
    assert copy["status"] == "checked"
    assert copy["consensus"]["category"] == "false"


def test_verdict_on_one_wording_shows_on_every_wording(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    reworded = create_claim(client, auth, REWORDED)
    verdict = add_verdict(client, copy["id"], "Pants on Fire!")

    for claim_id in (original["id"], copy["id"]):
        claim = get_claim(client, claim_id)
        assert _verdict_ids(claim) == [verdict["id"]]
        assert claim["status"] == "checked"
        assert claim["consensus"]["category"] == "false"
    outside = get_claim(client, reworded["id"])
    assert (outside["verdicts"], outside["status"], outside["consensus"]) == ([], "unchecked", None)
    listed = {c["id"]: c for c in client.get(CLAIMS, query_string={"status": "checked"}).json["items"]}
    assert set(listed) == {original["id"], copy["id"]}
    assert all(_verdict_ids(c) == [verdict["id"]] for c in listed.values())


def test_contested_verdicts_on_one_wording_make_every_wording_contested(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    create_claim(client, auth, REWORDED)
    add_verdict(client, original["id"], "True", site="snopes.com")
    add_verdict(client, original["id"], "False", site="politifact.com")

    items = client.get(CONTESTED).json["items"]
    assert sorted(c["id"] for c in items) == sorted([original["id"], copy["id"]])
    for claim in items:
        assert claim["status"] == "contested"
        assert claim["contested_because"] == ["verdicts_disagree"]
        assert len(claim["verdicts"]) == 2
        assert claim["group_id"] == original["id"]
    assert get_claim(client, copy["id"])["status"] == "contested"


def test_verdicts_on_different_wordings_make_one_consensus(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    add_verdict(client, original["id"], "True", site="snopes.com")
    add_verdict(client, copy["id"], "False", site="politifact.com")
    for claim_id in (original["id"], copy["id"]):
        claim = get_claim(client, claim_id)
        assert claim["status"] == "contested"
        assert claim["consensus"]["category"] == "mixed"
        assert len(claim["verdicts"]) == 2


def test_confirming_a_suggested_link_merges_the_groups_and_their_summaries(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    copy = create_claim(client, auth, NEAR_COPY)
    reworded = create_claim(client, auth, REWORDED)
    other_copy = create_claim(client, auth, REWORDED.replace("critics say", "critics said"))
    assert other_copy["group_id"] == reworded["group_id"] != original["group_id"]
    true = add_verdict(client, copy["id"], "True", site="snopes.com")
    false = add_verdict(client, other_copy["id"], "False", site="politifact.com")
    assert get_claim(client, original["id"])["status"] == "checked"
    assert get_claim(client, reworded["id"])["consensus"]["category"] == "false"

    decide_link(client, auth, link_between(client, original["id"], reworded["id"])["id"], "confirmed")

    members = [get_claim(client, c["id"]) for c in (original, copy, reworded, other_copy)]
    assert {m["group_id"] for m in members} == {original["id"]}
    for member in members:
        assert sorted(_verdict_ids(member)) == sorted([true["id"], false["id"]])
        assert member["status"] == "contested"
        assert member["consensus"]["category"] == "mixed"
    assert len(client.get(CONTESTED).json["items"]) == 4


def _chain(client, auth) -> tuple[dict, dict, dict]:
    """A-B and B-C confirmed by a fact-checker; A-C is not confirmed."""
    a = create_claim(client, auth, OTHER)
    b = create_claim(client, auth, OTHER_REWORDED)
    c = create_claim(client, auth, OTHER_FAR)
    for x, y in ((a, b), (b, c)):
        link = link_between(client, x["id"], y["id"])
        assert link["status"] == "suggested"
        decide_link(client, auth, link["id"], "confirmed")
    assert link_between(client, a["id"], c["id"]) is None
    return a, b, c


def test_rejecting_a_link_in_a_chain_splits_off_the_far_end(client, auth):
    a, b, c = _chain(client, auth)
    verdict = add_verdict(client, a["id"], "Mostly False")
    assert {get_claim(client, x["id"])["group_id"] for x in (a, b, c)} == {a["id"]}
    assert _verdict_ids(get_claim(client, c["id"])) == [verdict["id"]]

    decide_link(client, auth, link_between(client, b["id"], c["id"])["id"], "rejected")

    a_now, b_now, c_now = (get_claim(client, x["id"]) for x in (a, b, c))
    assert a_now["group_id"] == b_now["group_id"] == a["id"]
    assert c_now["group_id"] == c["id"]
    assert _verdict_ids(b_now) == [verdict["id"]] and b_now["status"] == "checked"
    assert (c_now["verdicts"], c_now["status"], c_now["consensus"]) == ([], "unchecked", None)


def test_rejecting_the_middle_link_keeps_both_halves_whole(client, auth):
    a, b, c = _chain(client, auth)
    verdict = add_verdict(client, c["id"], "True")
    decide_link(client, auth, link_between(client, a["id"], b["id"])["id"], "rejected")
    a_now, b_now, c_now = (get_claim(client, x["id"]) for x in (a, b, c))
    assert a_now["group_id"] == a["id"] and a_now["status"] == "unchecked"
    assert b_now["group_id"] == c_now["group_id"] != a["id"]
    assert _verdict_ids(b_now) == _verdict_ids(c_now) == [verdict["id"]]


def test_rejecting_an_engine_confirmed_link_splits_the_pair(client, auth):
    original = create_claim(client, auth, OTHER)
    copy = create_claim(client, auth, OTHER_COPY)
    verdict = add_verdict(client, copy["id"], "False")
    assert _verdict_ids(get_claim(client, original["id"])) == [verdict["id"]]

    decide_link(client, auth, link_between(client, original["id"], copy["id"])["id"], "rejected")

    original_now, copy_now = get_claim(client, original["id"]), get_claim(client, copy["id"])
    assert original_now["group_id"] != copy_now["group_id"]
    assert (original_now["verdicts"], original_now["status"]) == ([], "unchecked")
    assert _verdict_ids(copy_now) == [verdict["id"]] and copy_now["status"] == "checked"


def test_a_group_held_by_another_confirmed_path_survives_a_rejection(client, auth):
    first = create_claim(client, auth, OTHER)
    second = create_claim(client, auth, respaced(OTHER))
    third = create_claim(client, auth, OTHER_COPY)  # confirmed to both: a triangle
    decide_link(client, auth, link_between(client, first["id"], third["id"])["id"], "rejected")
    groups = {get_claim(client, c["id"])["group_id"] for c in (first, second, third)}
    assert groups == {first["id"]}


def test_reconfirming_a_rejected_link_joins_the_group_again(client, auth):
    original = create_claim(client, auth, OTHER)
    copy = create_claim(client, auth, OTHER_COPY)
    link = link_between(client, original["id"], copy["id"])
    decide_link(client, auth, link["id"], "rejected")
    decide_link(client, auth, link["id"], "confirmed")
    verdict = add_verdict(client, original["id"], "True")
    assert get_claim(client, copy["id"])["group_id"] == original["id"]
    assert _verdict_ids(get_claim(client, copy["id"])) == [verdict["id"]]


def test_rejected_wording_does_not_rejoin_through_a_new_claim(client, auth):
    original = create_claim(client, auth, OTHER)
    reworded = create_claim(client, auth, OTHER_REWORDED)
    decide_link(client, auth, link_between(client, original["id"], reworded["id"])["id"], "rejected")
    verdict = add_verdict(client, original["id"], "False")

    copy = create_claim(client, auth, OTHER_COPY)  # confirmed to the original only
    assert copy["group_id"] == original["id"]
    reworded_now = get_claim(client, reworded["id"])
    assert reworded_now["group_id"] == reworded["id"]
    assert reworded_now["verdicts"] == [] and _verdict_ids(copy) == [verdict["id"]]
    assert link_between(client, original["id"], reworded["id"])["status"] == "rejected"


def test_a_new_wording_links_to_a_groups_best_members_not_to_each(client, auth):
    stored = [create_claim(client, auth, text) for text in WORDINGS]
    group = stored[0]["id"]
    assert {get_claim(client, claim["id"])["group_id"] for claim in stored} == {group}
    for n, claim in enumerate(stored):
        earlier = [link for link in claim_links(client, claim["id"], limit=100) if link["claim"]["id"] < claim["id"]]
        assert len(earlier) == min(n, LINKS_PER_GROUP)
        assert all(link["status"] == "confirmed" for link in earlier)
