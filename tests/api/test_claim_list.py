"""Listing claims: GET /api/v1/claims filters and keyset pagination."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.claims import records as claim_service
from tests.api.helpers import CLAIMS, add_verdict, appearance, assert_problem, create_claim, walk


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def listed(client, **params) -> list[int]:
    return ids(client.get(CLAIMS, query_string=params))


def test_empty_list(client):
    response = client.get(CLAIMS)
    assert response.status_code == 200
    assert response.json == {"items": [], "next_cursor": None}
    assert "Link" not in response.headers


def test_newest_first_with_full_representation(client, auth):
    first = create_claim(client, auth, "First claim.", appearances=[appearance()])
    second = create_claim(client, auth, "Second claim.")
    items = client.get(CLAIMS).json["items"]
    assert [c["id"] for c in items] == [second["id"], first["id"]]
    assert items[1] == first


def test_q_matches_text_case_insensitively(client, auth):
    shield = create_claim(client, auth, "The pilot used the Russian plane as a SHIELD.")
    create_claim(client, auth, "Fifteen crew members were killed.")
    assert listed(client, q="shield") == [shield["id"]]
    assert listed(client, q="Russian Plane") == [shield["id"]]
    assert listed(client, q="nothing like this") == []


def test_q_matches_every_word_in_any_order_best_first(client, auth):
    both = [create_claim(client, auth, text)["id"] for text in (
        "Israel informed Russia of the Latakia strike.",
        "Latakia: Russia's air defence shot down the plane, Russia said, blaming Israel for Latakia.")]
    create_claim(client, auth, "Russia denies any involvement.")
    create_claim(client, auth, "A storm hit Latakia overnight.")
    assert sorted(listed(client, q="Russia Latakia")) == sorted(both)
    assert listed(client, q="latakia RUSSIA") == listed(client, q="Russia Latakia")
    assert listed(client, q="Russia Latakia")[0] == both[1]  # holds the words more often
    assert listed(client, q="Russia Latakia Norway") == []  # every word, not any


def test_q_of_symbols_or_stopwords_alone_finds_nothing(client, auth):
    create_claim(client, auth, "Turnout was 50% this year.")
    create_claim(client, auth, "The variable is named user_id.")
    for q in ("%", "_", "the", "C:\\temp"):
        assert listed(client, q=q) == [], q


def test_q_pages_keep_their_rank_and_combine_with_an_order(client, auth):
    ids = [create_claim(client, auth, f"Shield claim number {n}{' shield' * n}.")["id"] for n in range(3)]
    first = client.get(CLAIMS, query_string={"q": "shield", "limit": 2}).json
    rest = client.get(CLAIMS, query_string={"q": "shield", "limit": 2, "cursor": first["next_cursor"]}).json
    assert [c["id"] for c in first["items"] + rest["items"]] == ids[::-1]
    assert listed(client, q="shield", order="newest") == ids[::-1]
    assert_problem(client.get(CLAIMS, query_string={"q": "shield", "cursor": first["next_cursor"],
                                                    "order": "newest"}), 422, "cursor")


def test_filter_by_status_and_category(client, auth):
    unchecked = create_claim(client, auth, "Unchecked claim.")
    true = create_claim(client, auth, "True claim.")
    add_verdict(client, true["id"], "Mostly True")
    false = create_claim(client, auth, "False claim.")
    add_verdict(client, false["id"], "Pants on Fire")
    contested = create_claim(client, auth, "Contested claim.")
    add_verdict(client, contested["id"], "True", site="snopes.com")
    add_verdict(client, contested["id"], "False", site="politifact.com")

    assert listed(client, status="unchecked") == [unchecked["id"]]
    assert listed(client, status="checked") == [false["id"], true["id"]]
    assert listed(client, status="contested") == [contested["id"]]
    assert listed(client, category="true") == [true["id"]]
    assert listed(client, category="false") == [false["id"]]
    assert listed(client, category="mixed") == [contested["id"]]
    assert listed(client, category="unverifiable") == []


def test_filter_by_claimant_is_case_and_space_insensitive(client, auth):
    peskov = create_claim(client, auth, "Claim one.", claimant={"name": "Dmitry Peskov"})
    create_claim(client, auth, "Claim two.", claimant={"name": "Benjamin Netanyahu"})
    create_claim(client, auth, "Claim three.")
    assert listed(client, claimant="dmitry   PESKOV") == [peskov["id"]]
    assert listed(client, claimant="Peskov") == []


def test_filter_by_outlet_domain(client, auth):
    bbc = create_claim(client, auth, "Claim one.", appearances=[
        appearance("https://www.bbc.co.uk/news/1"), appearance("https://example.com/1")])
    example = create_claim(client, auth, "Claim two.", appearances=[appearance("https://example.com/2")])
    create_claim(client, auth, "Claim three.")

    assert listed(client, outlet="bbc.co.uk") == [bbc["id"]]
    assert listed(client, outlet="www.BBC.co.uk") == [bbc["id"]]
    assert listed(client, outlet="example.com") == [example["id"], bbc["id"]]
    assert listed(client, outlet="nowhere.org") == []


@pytest.mark.parametrize("ids_at_most", [0, 2, 1000])
def test_an_outlet_lists_the_same_claims_however_many_it_printed(client, auth, monkeypatch, ids_at_most):
    """Found from the outlet's side up to OUTLET_IDS_AT_MOST appearances, by testing each
    claim past it: the same claims in the same order, page by page."""
    monkeypatch.setattr(claim_service, "OUTLET_IDS_AT_MOST", ids_at_most)
    printed = [create_claim(client, auth, f"Claim {n} of the harbour budget.", appearances=[
        appearance(f"https://example.com/{n}"), appearance(f"https://www.example.com/again/{n}")])["id"]
        for n in range(3)]
    elsewhere = create_claim(client, auth, "A claim printed elsewhere.",
                             appearances=[appearance("https://other.org/1")])["id"]
    printed.append(create_claim(client, auth, "Claim 3 of the harbour budget.",
                                appearances=[appearance("https://example.com/3")])["id"])

    expected = sorted(printed, reverse=True)
    assert [c["id"] for c in walk(client, CLAIMS, outlet="example.com", limit=1)] == expected
    assert listed(client, outlet="www.example.com", limit=3) == expected[:3]
    assert listed(client, outlet="other.org") == [elsewhere]
    assert listed(client, outlet="nowhere.org") == []


def test_filters_combine(client, auth):
    match = create_claim(client, auth, "Israel notified Russia.", claimant={"name": "Israel"},
                         appearances=[appearance("https://example.com/1")])
    create_claim(client, auth, "Israel notified Russia, says another outlet.", claimant={"name": "Israel"},
                 appearances=[appearance("https://other.org/1")])
    create_claim(client, auth, "Russia was not notified.", claimant={"name": "Russia"},
                 appearances=[appearance("https://example.com/2")])
    found = listed(client, q="notified", claimant="israel", outlet="example.com", status="unchecked")
    assert found == [match["id"]]


def _set_created_at(claim_id: int, when: datetime) -> None:
    db.session.execute(update(Claim).where(Claim.id == claim_id).values(created_at=when))
    db.session.commit()


def test_filter_by_since_and_until(client, auth):
    old = create_claim(client, auth, "Old claim.")
    new = create_claim(client, auth, "New claim.")
    _set_created_at(old["id"], datetime(2018, 9, 18, 12, 0, tzinfo=UTC))
    _set_created_at(new["id"], datetime(2018, 9, 26, 12, 0, tzinfo=UTC))

    assert listed(client, since="2018-09-20T00:00:00Z") == [new["id"]]
    assert listed(client, until="2018-09-20T00:00:00Z") == [old["id"]]
    september = {"since": "2018-09-01T00:00:00Z", "until": "2018-10-01T00:00:00Z"}
    assert listed(client, **september) == [new["id"], old["id"]]
    # since is inclusive, until exclusive.
    assert listed(client, since="2018-09-26T12:00:00Z") == [new["id"]]
    assert listed(client, until="2018-09-26T12:00:00Z") == [old["id"]]
    # Offsets are honoured; a time without one is UTC.
    assert listed(client, since="2018-09-26T14:00:00+02:00") == [new["id"]]
    assert listed(client, since="2018-09-26T14:00:00+01:00") == []
    assert listed(client, since="2018-09-26T12:00:00") == [new["id"]]
    assert client.get(CLAIMS).json["items"][0]["created_at"].startswith("2018-09-26T12:00:00")


def test_since_and_until_relative_to_now(client, auth):
    claim = create_claim(client, auth)
    now = datetime.now(UTC)
    assert listed(client, since=(now - timedelta(hours=1)).isoformat()) == [claim["id"]]
    assert listed(client, since=(now + timedelta(hours=1)).isoformat()) == []
    assert listed(client, until=(now - timedelta(hours=1)).isoformat()) == []


@pytest.mark.parametrize("params, field", [
    ({"status": "disputed"}, "status"),
    ({"category": "pants"}, "category"),
    ({"since": "yesterday"}, "since"),
    ({"until": "2018-13-01T00:00:00Z"}, "until"),
    ({"q": ""}, "q"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "-5"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"sort": "id"}, "sort"),
    ({"page": "2"}, "page"),
])
def test_bad_query_is_422_problem(client, params, field):
    assert_problem(client.get(CLAIMS, query_string=params), 422, field)


def test_limit_bounds_are_accepted(client, auth):
    for n in range(3):
        create_claim(client, auth, f"Claim {n}.")
    assert len(listed(client, limit=1)) == 1
    assert len(listed(client, limit=100)) == 3


def test_keyset_pagination_walks_every_claim_once(client, auth):
    created = [create_claim(client, auth, f"Claim number {n}.")["id"] for n in range(5)]

    first = client.get(CLAIMS, query_string={"limit": 2})
    assert len(first.json["items"]) == 2
    assert first.json["next_cursor"]
    assert first.headers["Link"].startswith("</api/v1/claims?")

    items = walk(client, CLAIMS, limit=2)
    assert [c["id"] for c in items] == sorted(created, reverse=True)


def test_pagination_keeps_filters_in_the_link(client, auth):
    wanted = [create_claim(client, auth, f"Shield claim {n}.")["id"] for n in range(3)]
    create_claim(client, auth, "Something else.")

    first = client.get(CLAIMS, query_string={"limit": 2, "q": "shield"})
    link = first.headers["Link"]
    assert "q=shield" in link and "limit=2" in link
    url = link[link.index("<") + 1:link.index(">")]
    second = client.get(url)
    assert second.status_code == 200
    assert [c["id"] for c in first.json["items"] + second.json["items"]] == sorted(wanted, reverse=True)
    assert second.json["next_cursor"] is None
    assert "Link" not in second.headers


def test_page_of_exactly_limit_items_has_no_next(client, auth):
    create_claim(client, auth, "One.")
    create_claim(client, auth, "Two.")
    response = client.get(CLAIMS, query_string={"limit": 2})
    assert len(response.json["items"]) == 2
    assert response.json["next_cursor"] is None
    assert "Link" not in response.headers


def test_new_claims_do_not_disturb_a_walk_in_progress(client, auth):
    older = [create_claim(client, auth, f"Claim {n}.")["id"] for n in range(4)]
    first = client.get(CLAIMS, query_string={"limit": 2}).json
    create_claim(client, auth, "Recorded while paging.")
    rest = walk(client, CLAIMS, limit=2, cursor=first["next_cursor"])
    assert [c["id"] for c in first["items"] + rest] == sorted(older, reverse=True)


@pytest.mark.parametrize("cursor", [
    "garbage!!",
    "bm90IGpzb24",          # base64 of "not json"
    "WyJhIl0",              # ["a"]
    "WzEsMl0",              # [1,2]: the wrong shape
    "W3RydWVd",             # [true]
    "e30",                  # {}
    "\u00e9\u00e8",
    "x" * 201,
    "WzEwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDBd",  # [10**30]: no database integer is that big
    "Wy0xMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwXQ",  # [-10**30]
])
def test_garbage_cursor_is_422_problem(client, auth, cursor):
    create_claim(client, auth)
    assert_problem(client.get(CLAIMS, query_string={"cursor": cursor}), 422, "cursor")


def test_a_contested_list_cursor_is_not_a_claims_cursor(client, auth):
    for n in range(2):
        claim = create_claim(client, auth, f"Claim {n}.")
        add_verdict(client, claim["id"], "True", site="snopes.com")
        add_verdict(client, claim["id"], "False", site="politifact.com")
    cursor = client.get(f"{CLAIMS}/contested", query_string={"limit": 1}).json["next_cursor"]
    assert cursor
    assert_problem(client.get(CLAIMS, query_string={"cursor": cursor}), 422, "cursor")


@pytest.mark.parametrize("params", [{"q": "a\u0000b"}, {"claimant": "a\u0000"}, {"outlet": "a\u0000.com"}])
def test_nul_in_query_is_rejected_not_a_server_error(client, params):
    response = client.get(CLAIMS, query_string=params)
    assert_problem(response, 422, *params)
