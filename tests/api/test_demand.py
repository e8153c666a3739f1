"""Demand: how often a claim is asked about, and the lists ordered by it."""
from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    NEAR_COPY,
    REWORDED,
    UNRELATED,
    add_appearance,
    add_verdict,
    assert_problem,
    create_claim,
    decide_link,
    get_claim,
    link_between,
    match,
)


def asked(client, claim_id: int) -> int:
    return get_claim(client, claim_id)["demand"]["asked"]


def test_a_strong_first_match_counts_an_ask(client, newsrooms):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker, BASE_CLAIM)
    create_claim(client, a.factchecker, UNRELATED)
    assert get_claim(client, claim["id"])["demand"] == {"asked": 0, "last_asked_at": None}

    assert match(client, "Did the governor sign a law that cuts funding for every public school in the state?")
    assert match(client, BASE_CLAIM)[0]["claim"]["id"] == claim["id"]
    demand = get_claim(client, claim["id"])["demand"]
    assert demand["asked"] == 2 and demand["last_asked_at"] is not None

    assert match(client, "What did the governor say about the weather?")  # a weak first answer
    assert match(client, "Quantum zebras juggle marmalade.") == []
    assert asked(client, claim["id"]) == 2


def test_new_appearances_and_wordings_count_from_any_newsroom(client, newsrooms):
    a, b = newsrooms
    base = create_claim(client, a.factchecker, BASE_CLAIM)
    add_appearance(client, b.factchecker, base["id"], url="https://desk-b.example.org/1")
    assert asked(client, base["id"]) == 1

    copy = create_claim(client, b.factchecker, NEAR_COPY)  # linked by the engine
    assert copy["group_id"] == base["id"]
    assert (asked(client, base["id"]), asked(client, copy["id"])) == (2, 0)

    again = client.post(CLAIMS, json={"text": BASE_CLAIM}, headers=b.factchecker)  # the stored claim, as it was
    assert (again.status_code, again.json["id"], again.json["demand"]["asked"]) == (200, base["id"], 2)
    reworded = create_claim(client, b.factchecker, REWORDED)  # only suggested
    assert asked(client, base["id"]) == 2
    decide_link(client, a.factchecker, link_between(client, base["id"], reworded["id"])["id"], "confirmed")
    assert asked(client, base["id"]) == 3


def test_lists_order_by_demand_in_keyset_pages(client, newsrooms):
    a, b = newsrooms
    ids = [create_claim(client, a.factchecker, text)["id"] for text in (
        "Wind turbines cause cancer in nearby residents.",
        "The city spent ten million dollars on a bridge to nowhere.",
        "Vaccines contain microchips that track people.")]
    for claim_id, times in zip(ids, (2, 0, 1)):
        for n in range(times):
            add_appearance(client, b.factchecker, claim_id, url=f"https://desk-b.example.org/{claim_id}/{n}")

    first = client.get(CLAIMS, query_string={"order": "demand", "limit": 2}).json
    assert [c["id"] for c in first["items"]] == [ids[0], ids[2]]
    rest = client.get(CLAIMS, query_string={"order": "demand", "limit": 2, "cursor": first["next_cursor"]}).json
    assert [c["id"] for c in rest["items"]] == [ids[1]] and rest["next_cursor"] is None
    assert [c["id"] for c in client.get(CLAIMS).json["items"]] == ids[::-1]
    assert_problem(client.get(CLAIMS, query_string={"order": "loudest"}), 422, "order")

    for claim_id in (ids[1], ids[2]):
        add_verdict(client, claim_id, "True", site="snopes.com")
        add_verdict(client, claim_id, "False", site="politifact.com")
    contested = client.get(f"{CLAIMS}/contested", query_string={"order": "demand"}).json["items"]
    assert [c["id"] for c in contested] == [ids[2], ids[1]]
    assert_problem(client.get(f"{CLAIMS}/contested", query_string={"order": "demand", "cursor": "bad"}),
                   422, "cursor")
