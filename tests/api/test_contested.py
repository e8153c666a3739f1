"""Contested claims: GET /api/v1/claims/contested."""
import re

import pytest

from tests.api.helpers import (
    CLAIMS,
    add_appearance,
    add_verdict,
    appearance,
    assert_problem,
    create_claim,
    walk,
)

CONTESTED = f"{CLAIMS}/contested"


def _sources_split(client, auth, text: str, asserts: int = 1, denies: int = 1) -> dict:
    stances = ["asserts"] * asserts + ["denies"] * denies
    slug = re.sub(r"\W+", "-", text)
    return create_claim(client, auth, text, appearances=[
        appearance(f"https://example.com/{slug}/{n}", stance=s) for n, s in enumerate(stances)])


def _verdicts_split(client, auth, claim_id: int) -> None:
    add_verdict(client, claim_id, "True", site="snopes.com")
    add_verdict(client, claim_id, "False", site="politifact.com")


def test_empty(client):
    response = client.get(CONTESTED)
    assert response.status_code == 200
    assert response.json == {"items": [], "next_cursor": None}


def test_most_contested_first_and_uncontested_absent(client, auth):
    both = _sources_split(client, auth, "Both reasons.")
    _verdicts_split(client, auth, both["id"])
    verdicts_only = create_claim(client, auth, "Verdicts only.")
    _verdicts_split(client, auth, verdicts_only["id"])
    sources_only = _sources_split(client, auth, "Sources only, lopsided.", asserts=2, denies=1)
    checked = create_claim(client, auth, "Checked.")
    add_verdict(client, checked["id"], "True")
    create_claim(client, auth, "Unchecked.", appearances=[appearance(stance="asserts")])

    items = client.get(CONTESTED).json["items"]
    assert [c["id"] for c in items] == [both["id"], verdicts_only["id"], sources_only["id"]]
    assert items[0]["contested_because"] == ["verdicts_disagree", "sources_disagree"]
    assert items[1]["contested_because"] == ["verdicts_disagree"]
    assert items[2]["contested_because"] == ["sources_disagree"]
    assert all(c["status"] == "contested" for c in items)


def test_both_reasons_outrank_one_even_when_older(client, auth):
    both = create_claim(client, auth, "Both.", appearances=[appearance(stance="asserts")])
    sources_only = _sources_split(client, auth, "Sources only.")
    add_appearance(client, auth, both["id"], url="https://example.org/deny", stance="denies")
    add_verdict(client, both["id"], "Mostly True", site="snopes.com")
    add_verdict(client, both["id"], "Mostly False", site="politifact.com")
    assert [c["id"] for c in client.get(CONTESTED).json["items"]] == [both["id"], sources_only["id"]]


def test_pagination_walks_every_contested_claim_once(client, auth):
    expected = []
    for n in range(5):
        claim = _sources_split(client, auth, f"Claim {n}.", asserts=1 + n % 2, denies=1)
        if n % 3 == 0:
            _verdicts_split(client, auth, claim["id"])
        expected.append(claim["id"])
    create_claim(client, auth, "Not contested.")

    all_at_once = [c["id"] for c in client.get(CONTESTED, query_string={"limit": 100}).json["items"]]
    assert sorted(all_at_once) == sorted(expected)
    walked = walk(client, CONTESTED, limit=2)
    assert [c["id"] for c in walked] == all_at_once


@pytest.mark.parametrize("params, field", [
    ({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"cursor": "garbage"}, "cursor"),
    ({"cursor": "WzFd"}, "cursor"), ({"status": "contested"}, "status"),
    ({"cursor": "WzFlKzMwOCwgMTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMF0"}, "cursor"),  # [1e308, 10**30]
    ({"cursor": "W05hTiwgMV0"}, "cursor"),  # [NaN, 1]
    ({"cursor": "W0luZmluaXR5LCAxXQ"}, "cursor"),  # [Infinity, 1]
])
def test_bad_query_is_422(client, auth, params, field):
    _sources_split(client, auth, "A claim.")
    assert_problem(client.get(CONTESTED, query_string=params), 422, field)


def test_contested_needs_no_token(client, auth):
    _sources_split(client, auth, "A claim.")
    assert client.get(CONTESTED).status_code == 200
