"""No lost updates: every PATCH and DELETE names the ETag it read (If-Match), checked in the
database, so of two concurrent writers exactly one wins (issue 4)."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from factcheck.extensions import db
from tests.api.helpers import (
    BASE_CLAIM,
    LINKS,
    REWORDED,
    assert_problem,
    create_claim,
    get_claim,
    if_match,
    link_between,
)
from tests.api.newsrooms import TOKENS, VERDICTS, post_verdict
from tests.conftest import bearer


@pytest.fixture
def verdict_url(client, newsrooms):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker, "Unemployment fell to its lowest level in fifty years.")
    return f"{VERDICTS}/{post_verdict(client, a.factchecker, claim['id'], 'Mostly True')['id']}"


@pytest.fixture
def link_url(client, auth):
    original = create_claim(client, auth, BASE_CLAIM)
    reworded = create_claim(client, auth, REWORDED)
    link = link_between(client, original["id"], reworded["id"])
    assert link["status"] == "suggested"
    return f"{LINKS}/{link['id']}"


@pytest.fixture
def token_url(client, newsrooms):
    a, _ = newsrooms
    bearer("factchecker", a.name, "Ada")
    token = client.get(TOKENS, headers=a.admin).json["items"][0]
    assert token["name"] == "Ada"
    return f"{TOKENS}/{token['id']}"


@pytest.fixture(params=["verdict", "link", "token"])
def target(request, client, newsrooms, auth):
    """(url, method, body, headers of a caller allowed to change it) for each conditional write."""
    a, _ = newsrooms
    if request.param == "verdict":
        return request.getfixturevalue("verdict_url"), "patch", {"rating": "False"}, a.factchecker
    if request.param == "link":
        return request.getfixturevalue("link_url"), "patch", {"status": "confirmed"}, auth
    return request.getfixturevalue("token_url"), "delete", None, a.admin


def _send(client, method: str, url: str, body, headers: dict):
    return getattr(client, method)(url, headers=headers, **({"json": body} if body is not None else {}))


def _unchanged(client, url: str, headers: dict, before: dict) -> None:
    response = client.get(url, headers=headers)
    after = response.json
    # Reading a token or link does not change it; a token's last use is not a change of it.
    after.pop("last_used_at", None), before.pop("last_used_at", None)
    assert after == before


def test_a_read_gives_an_etag_of_the_version(client, target):
    url, _, _, headers = target
    response = client.get(url, headers=headers)
    assert response.headers["ETag"] == f'"{response.json["version"]}"'


def test_without_if_match_is_428(client, target):
    url, method, body, headers = target
    before = client.get(url, headers=headers).json
    response = _send(client, method, url, body, headers)
    assert_problem(response, 428)
    assert "If-Match" in response.json["detail"]
    _unchanged(client, url, headers, before)


def test_a_stale_etag_is_412(client, target):
    url, method, body, headers = target
    before = client.get(url, headers=headers).json
    for value in ('"999"', '"0"', 'W/"999"'):
        assert_problem(_send(client, method, url, body, {**headers, "If-Match": value}), 412)
    _unchanged(client, url, headers, before)


def test_a_malformed_if_match_is_412(client, target):
    url, method, body, headers = target
    before = client.get(url, headers=headers).json
    for value in ("*", "1", '"one"', '"1', "", '"1", "2"', '"' + "9" * 40 + '"'):
        assert_problem(_send(client, method, url, body, {**headers, "If-Match": value}), 412)
    _unchanged(client, url, headers, before)


def test_the_current_etag_succeeds_and_gives_a_new_one(client, target):
    url, method, body, headers = target
    read = if_match(client, url, headers)
    response = _send(client, method, url, body, read)
    assert response.status_code == 200, response.json
    assert response.headers["ETag"] != read["If-Match"]
    assert response.headers["ETag"] == f'"{response.json["version"]}"'
    assert client.get(url, headers=headers).headers["ETag"] == response.headers["ETag"]
    # The ETag that was current is stale now.
    assert_problem(_send(client, method, url, body, read), 412)


def test_a_weak_etag_of_the_current_version_succeeds(client, target):
    url, method, body, headers = target
    etag = client.get(url, headers=headers).headers["ETag"]
    assert _send(client, method, url, body, {**headers, "If-Match": f"W/{etag}"}).status_code == 200


def test_a_write_that_changes_nothing_still_uses_up_the_etag(client, target):
    """Otherwise, of two writers racing with one ETag, one sending what is already stored
    and one sending a change would both get 200."""
    url, method, body, headers = target
    read = if_match(client, url, headers)
    assert _send(client, method, url, body, read).status_code == 200
    again = if_match(client, url, headers)
    repeated = _send(client, method, url, body, again)
    assert repeated.status_code == 200
    assert repeated.headers["ETag"] != again["If-Match"]
    assert_problem(_send(client, method, url, body, again), 412)


def test_a_verdict_changed_by_a_colleague_is_412(client, newsrooms, verdict_url):
    a, _ = newsrooms
    mine = if_match(client, verdict_url, a.factchecker)
    theirs = if_match(client, verdict_url, a.editor)
    assert client.patch(verdict_url, json={"rating": "False"}, headers=theirs).status_code == 200
    body = assert_problem(client.patch(verdict_url, json={"explanation": "Mine."}, headers=mine), 412)
    assert "version" in body["detail"]
    shown = client.get(verdict_url).json
    assert (shown["rating"], shown["explanation"]) == ("False", None)


def test_unknown_id_is_404_even_without_if_match(client, newsrooms, admin_auth):
    a, _ = newsrooms
    assert_problem(client.patch(f"{VERDICTS}/9999", json={"rating": "True"}, headers=a.factchecker), 404)
    assert_problem(client.patch(f"{LINKS}/9999", json={"status": "confirmed"}, headers=a.factchecker), 404)
    assert_problem(client.delete(f"{TOKENS}/9999", headers=admin_auth), 404)


# --- two workers, one ETag: exactly one wins ---

WORKERS = 2


def _race(app, method: str, url: str, bodies: list, headers: dict) -> list[int]:
    """Send one request per body at the same moment, each from its own client (a worker)."""
    barrier = threading.Barrier(len(bodies))

    def one(body):
        client = app.test_client()
        barrier.wait()
        return _send(client, method, url, body, headers).status_code

    with ThreadPoolExecutor(len(bodies)) as pool:
        statuses = list(pool.map(one, bodies))
    # The test's own session still holds what it read before the race.
    db.session.remove()
    return statuses


# The second pair: one writer sends what is stored already (the verdict is "Mostly True").
@pytest.mark.parametrize("ratings", [("False", "True"), ("Mostly True", "True")], ids=["changes", "one-repeats"])
def test_two_concurrent_updates_of_one_verdict_exactly_one_wins(app, client, newsrooms, verdict_url, ratings):
    a, _ = newsrooms
    read = if_match(client, verdict_url, a.factchecker)
    version = client.get(verdict_url).json["version"]

    statuses = _race(app, "patch", verdict_url, [{"rating": rating} for rating in ratings], read)

    assert sorted(statuses) == [200, 412], statuses
    shown = client.get(verdict_url).json
    assert shown["version"] == version + 1
    assert shown["rating"] in ratings
    # The claim's summary agrees with the verdict that won.
    consensus = get_claim(client, shown["claim_id"])["consensus"]
    assert consensus["category"] == ("false" if shown["rating"] == "False" else "true")
    # One revision in the trail, not two.
    entries = client.get("/api/v1/audit", headers=a.editor, query_string={"limit": 100}).json["items"]
    assert [e["action"] for e in entries if e["entity"] == "verdict"].count("verdict.revised") == 1


def test_two_concurrent_decisions_on_one_link_exactly_one_wins(app, client, auth, link_url):
    read = if_match(client, link_url, auth)
    version = client.get(link_url).json["version"]
    statuses = _race(app, "patch", link_url, [{"status": "confirmed"}, {"status": "rejected"}], read)
    assert sorted(statuses) == [200, 412], statuses
    assert client.get(link_url).json["version"] == version + 1


def test_two_concurrent_revocations_of_one_token_exactly_one_wins(app, client, newsrooms, token_url):
    admin = newsrooms[0].admin
    read = if_match(client, token_url, admin)
    version = client.get(token_url, headers=admin).json["version"]
    statuses = _race(app, "delete", token_url, [None, None], read)
    assert sorted(statuses) == [200, 412], statuses
    shown = client.get(token_url, headers=admin).json
    assert shown["version"] == version + 1 and shown["revoked_at"] is not None
