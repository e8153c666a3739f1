"""Limits no client can get around: body size (413), page size (422), requests per token and
failed authentications per address (429), counted in the database (issue 4)."""
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from factcheck.extensions import db
from factcheck.models import ApiToken, RateCounter
from factcheck.services.accounts import limits, tokens
from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    LINKS,
    REWORDED,
    assert_problem,
    create_claim,
    if_match,
    link_between,
    publisher_auth,
)
from tests.api.newsrooms import AUDIT, ORGANISATIONS, TOKENS, VERDICTS, post_verdict
from tests.conftest import bearer

# 30 s into a minute: the window resets in 30 s.
NOW = 1_700_000_010.0


@pytest.fixture
def clock(monkeypatch):
    """Pin the rate limiter's clock, so that no test straddles two windows."""
    now = [NOW]
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def _claim(n: int) -> dict:
    return {"text": f"Claim number {n} about the harbour tunnel."}


# --- request body size ---

@pytest.fixture
def small_app(configured_app):
    return configured_app(MAX_CONTENT_LENGTH=2_000)


def test_a_body_over_the_limit_is_413_on_every_write(small_app, newsrooms, operator_auth):
    a, _ = newsrooms
    big = "x" * 3_000
    with small_app.app_context():
        client = small_app.test_client()
        claim = create_claim(client, a.factchecker, BASE_CLAIM)
        link = link_between(client, claim["id"], create_claim(client, a.factchecker, REWORDED)["id"])
        verdict = post_verdict(client, a.factchecker, claim["id"], "False")
        verdict_url, link_url = f"{VERDICTS}/{verdict['id']}", f"{LINKS}/{link['id']}"
        writes = [
            ("post", CLAIMS, {"text": big}, a.factchecker),
            ("post", f"{CLAIMS}/{claim['id']}/appearances", {"url": f"https://example.org/{big}"}, a.factchecker),
            ("post", f"{CLAIMS}/{claim['id']}/verdicts", {"rating": "True", "explanation": big}, a.factchecker),
            ("patch", verdict_url, {"explanation": big}, if_match(client, verdict_url, a.factchecker)),
            ("patch", link_url, {"status": "confirmed", "note": big}, if_match(client, link_url, a.factchecker)),
            ("post", ORGANISATIONS, {"name": big}, operator_auth),
            ("post", CLAIMS, {"text": big}, {**a.factchecker, "Idempotency-Key": "big"}),
        ]
        for method, url, body, headers in writes:
            response = getattr(client, method)(url, json=body, headers=headers)
            assert_problem(response, 413)
        assert client.get(verdict_url).json["explanation"] is None
        assert client.get(link_url).json["status"] == "suggested"
        # Nothing was kept under the key: a body that fits is then accepted with it.
        response = client.post(CLAIMS, json=_claim(1), headers={**a.factchecker, "Idempotency-Key": "big"})
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers


# --- page size ---

@pytest.mark.parametrize("path", [
    CLAIMS, f"{CLAIMS}/contested", f"{CLAIMS}/{{claim}}/links", f"{CLAIMS}/{{claim}}/history",
    ORGANISATIONS, f"{ORGANISATIONS}/{{organisation}}/users", TOKENS, AUDIT,
])
def test_page_size_over_100_is_422(client, newsrooms, path):
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker)
    url = path.format(claim=claim["id"], organisation=a.id)
    assert client.get(url, headers=a.admin, query_string={"limit": 100}).status_code == 200
    for limit in (101, 1000, 0, -1):
        assert_problem(client.get(url, headers=a.admin, query_string={"limit": limit}), 422, "limit")


# --- requests per token ---

@pytest.fixture
def limited_app(configured_app):
    return configured_app(RATE_LIMIT_PER_MINUTE=3)


def test_the_fourth_write_in_a_minute_is_429(limited_app, auth, clock):
    with limited_app.app_context():
        client = limited_app.test_client()
        for n, remaining in enumerate((2, 1, 0)):
            response = client.post(CLAIMS, json=_claim(n), headers=auth)
            assert response.status_code == 201
            assert response.headers["RateLimit-Policy"] == "3;w=60"
            assert response.headers["RateLimit"] == f"limit=3, remaining={remaining}, reset=30"

        response = client.post(CLAIMS, json=_claim(3), headers=auth)
        assert_problem(response, 429)
        assert response.headers["Retry-After"] == "30"
        assert response.headers["RateLimit-Policy"] == "3;w=60"
        assert response.headers["RateLimit"] == "limit=3, remaining=0, reset=30"
        assert len(client.get(CLAIMS).json["items"]) == 3


def test_every_write_endpoint_counts_against_the_token(limited_app, clock):
    auth = publisher_auth("politifact.com")
    with limited_app.app_context():
        client = limited_app.test_client()
        claim = client.post(CLAIMS, json=_claim(0), headers=auth).json
        verdict = client.post(f"{CLAIMS}/{claim['id']}/verdicts", headers=auth,
                              json={"rating": "True", "publisher": {"name": "PF", "site": "politifact.com"}}).json
        url = f"{VERDICTS}/{verdict['id']}"
        assert client.patch(url, json={"rating": "False"}, headers=if_match(client, url, auth)).status_code == 200
        response = client.post(f"{CLAIMS}/{claim['id']}/appearances", json={"url": "https://example.org/a"},
                               headers=auth)
        assert_problem(response, 429)


def test_the_limit_is_per_token(limited_app, clock):
    first, second = bearer("factchecker", name="Ada"), bearer("factchecker", name="Bo")
    with limited_app.app_context():
        client = limited_app.test_client()
        for n in range(3):
            client.post(CLAIMS, json=_claim(n), headers=first)
        assert_problem(client.post(CLAIMS, json=_claim(3), headers=first), 429)
        response = client.post(CLAIMS, json=_claim(4), headers=second)
        assert response.status_code == 201
        assert response.headers["RateLimit"].startswith("limit=3, remaining=2")


def test_a_limited_token_can_still_read_openly(limited_app, auth, clock):
    with limited_app.app_context():
        client = limited_app.test_client()
        for n in range(4):
            client.post(CLAIMS, json=_claim(n), headers=auth)
        response = client.get(CLAIMS)
        assert response.status_code == 200
        assert "RateLimit" not in response.headers


def test_the_limit_resets_with_the_next_window(limited_app, auth, clock):
    with limited_app.app_context():
        client = limited_app.test_client()
        for n in range(3):
            client.post(CLAIMS, json=_claim(n), headers=auth)
        assert_problem(client.post(CLAIMS, json=_claim(3), headers=auth), 429)
        clock[0] += 30
        response = client.post(CLAIMS, json=_claim(4), headers=auth)
        assert response.status_code == 201
        assert response.headers["RateLimit"] == "limit=3, remaining=2, reset=60"


def test_workers_share_one_limit(configured_app, auth, clock):
    """Two workers (apps) on one database: the token's requests add up across them."""
    workers = [configured_app(RATE_LIMIT_PER_MINUTE=3) for _ in range(2)]
    statuses = []
    for n in range(4):
        worker = workers[n % 2]
        with worker.app_context():
            statuses.append(worker.test_client().post(CLAIMS, json=_claim(n), headers=auth).status_code)
    assert statuses == [201, 201, 201, 429]


def test_a_rejected_token_does_not_count_against_another(limited_app, auth, reader_auth, clock):
    with limited_app.app_context():
        client = limited_app.test_client()
        for n in range(5):
            assert_problem(client.post(CLAIMS, json=_claim(n), headers=reader_auth), 403)
        assert client.post(CLAIMS, json=_claim(9), headers=auth).status_code == 201


# --- failed authentications per client address ---

@pytest.fixture
def guarded_app(configured_app):
    return configured_app(AUTH_FAILURES_PER_MINUTE=3)


GUESS = {"Authorization": "Bearer fc_guess"}


@pytest.mark.parametrize("bad", [GUESS, {}])
def test_the_fourth_failed_authentication_is_429_but_a_valid_token_still_works(guarded_app, auth, clock, bad):
    with guarded_app.app_context():
        client = guarded_app.test_client()
        for n in range(3):
            assert_problem(client.post(CLAIMS, json=_claim(n), headers=bad), 401)
        response = client.post(CLAIMS, json=_claim(3), headers=bad)
        assert_problem(response, 429)
        assert response.headers["Retry-After"] == "30"
        # Failures never lock out a valid token, from the same address or any other.
        assert client.post(CLAIMS, json=_claim(4), headers=auth).status_code == 201
        assert_problem(client.post(CLAIMS, json=_claim(5), headers=bad), 429)
        assert [c["text"] for c in client.get(CLAIMS).json["items"]] == [_claim(4)["text"]]


def test_a_flood_of_bad_tokens_locks_out_no_valid_token(app, client, newsrooms, operator_auth, clock):
    """The default limit, flooded from the address every valid caller shares behind a proxy."""
    a, b = newsrooms
    for n in range(app.config["AUTH_FAILURES_PER_MINUTE"] + 5):
        assert client.post(CLAIMS, json=_claim(n), headers={"Authorization": f"Bearer fc_guess{n}"}).status_code in (
            401, 429)
    assert_problem(client.post(CLAIMS, json=_claim(99), headers=GUESS), 429)
    assert client.post(CLAIMS, json=_claim(100), headers=a.factchecker).status_code == 201
    assert client.get(TOKENS, headers=b.admin).status_code == 200
    assert client.get(ORGANISATIONS, headers=operator_auth).status_code == 200
    assert client.get(AUDIT, headers=a.editor).status_code == 200


def test_failed_authentications_are_counted_per_address(guarded_app, clock):
    with guarded_app.app_context():
        attacker = guarded_app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
        for n in range(3):
            assert_problem(attacker.post(CLAIMS, json=_claim(n), headers=GUESS), 401)
        assert_problem(attacker.post(CLAIMS, json=_claim(3), headers=GUESS), 429)

        colleague = guarded_app.test_client()
        colleague.environ_base["REMOTE_ADDR"] = "198.51.100.7"
        assert_problem(colleague.post(CLAIMS, json=_claim(4), headers=GUESS), 401)


def _fail_from(client, forwarded_for: str, times: int) -> list[int]:
    return [client.post(CLAIMS, json=_claim(n), headers={**GUESS, "X-Forwarded-For": forwarded_for}).status_code
            for n in range(times)]


def test_behind_a_trusted_proxy_failures_are_counted_per_forwarded_address(configured_app, clock):
    proxied = configured_app(AUTH_FAILURES_PER_MINUTE=3, TRUSTED_PROXIES=1)
    with proxied.app_context():
        client = proxied.test_client()  # every request comes from the proxy, 127.0.0.1
        assert _fail_from(client, "203.0.113.9", 4) == [401, 401, 401, 429]
        assert _fail_from(client, "198.51.100.7", 1) == [401]
        # The proxy appends the address it saw: what the client wrote before it is not believed.
        assert _fail_from(client, "198.51.100.7, 203.0.113.9", 1) == [429]
        assert _fail_from(client, "203.0.113.9, 192.0.2.1", 1) == [401]


def test_without_trusted_proxies_x_forwarded_for_is_ignored(guarded_app, clock):
    with guarded_app.app_context():
        client = guarded_app.test_client()
        statuses = [_fail_from(client, f"203.0.113.{n}", 1)[0] for n in range(4)]
        assert statuses == [401, 401, 401, 429]


def test_ipv6_clients_are_counted_per_64_block(guarded_app, clock):
    with guarded_app.app_context():
        for n in range(4):
            client = guarded_app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"2001:db8:1:2::{n + 1}"
            status = client.post(CLAIMS, json=_claim(n), headers=GUESS).status_code
        assert status == 429
        client = guarded_app.test_client()
        client.environ_base["REMOTE_ADDR"] = "2001:db8:1:3::1"
        assert_problem(client.post(CLAIMS, json=_claim(5), headers=GUESS), 401)


def test_reads_with_a_bad_token_count_as_failures(guarded_app, auth, clock):
    with guarded_app.app_context():
        client = guarded_app.test_client()
        claim = create_claim(client, auth)
        verdict = post_verdict(client, publisher_auth("politifact.com"), claim["id"], "True")
        url = f"{VERDICTS}/{verdict['id']}"
        for _ in range(3):
            assert_problem(client.get(url, headers=GUESS), 401)
        assert_problem(client.get(url, headers=GUESS), 429)
        assert client.get(url, headers=auth).status_code == 200
        # Reading without a token is not an authentication.
        assert client.get(url).status_code == 200


def test_failed_authentications_reset_with_the_next_window(guarded_app, clock):
    with guarded_app.app_context():
        client = guarded_app.test_client()
        for n in range(3):
            client.post(CLAIMS, json=_claim(n), headers=GUESS)
        assert_problem(client.post(CLAIMS, json=_claim(3), headers=GUESS), 429)
        clock[0] += 60
        assert_problem(client.post(CLAIMS, json=_claim(4), headers=GUESS), 401)


def test_successful_authentications_are_not_failures(guarded_app, auth, clock):
    with guarded_app.app_context():
        client = guarded_app.test_client()
        for n in range(6):
            assert client.post(CLAIMS, json=_claim(n), headers=auth).status_code == 201
        assert_problem(client.post(CLAIMS, json=_claim(6), headers=GUESS), 401)


def test_requests_far_from_the_limit_are_added_to_the_shared_count_in_batches(configured_app, clock):
    """A worker counts a token's requests in memory and adds a batch to the shared count
    once the answer is sent (no write before); another newsroom's token is counted apart."""
    app = configured_app(RATE_LIMIT_PER_MINUTE=1000, RATE_LIMIT_BATCH=5, RATE_LIMIT_FLUSH_SECONDS=3600)
    a, b = bearer("factchecker", "Newsroom A"), bearer("factchecker", "Newsroom B")
    with app.app_context():
        client = app.test_client()
        writes = []
        event.listen(db.engine, "before_cursor_execute", on_counters := lambda _c, _cu, statement, *_: (
            writes.append(statement) if statement.startswith("INSERT INTO rate_counters") else None))
        try:
            for n in range(4):
                client.post(CLAIMS, json=_claim(n), headers=a).close()  # close: the answer is sent
            client.post(CLAIMS, json=_claim(4), headers=b).close()
            assert writes == []  # held by this worker, which knows them
            response = client.post(CLAIMS, json=_claim(5), headers=a)
            assert response.headers["RateLimit"].startswith("limit=1000, remaining=995,")
            assert writes == []
            response.close()  # the fifth held request: the batch is added once the answer is sent
            assert len(writes) == 1
            client.post(CLAIMS, json=_claim(6), headers=a)
        finally:
            event.remove(db.engine, "before_cursor_execute", on_counters)
        assert limits.peek(f"token:{_token_id(a)}", 1000).used == 6  # 5 shared + 1 held, as this worker sees it
        assert db.session.scalar(select(RateCounter.count).where(
            RateCounter.subject == f"token:{_token_id(a)}")) == 5
        assert db.session.scalar(select(RateCounter.count).where(
            RateCounter.subject == f"token:{_token_id(b)}")) is None


def _token_id(headers: dict) -> int:
    secret = headers["Authorization"].removeprefix("Bearer ")
    return db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == tokens._digest(secret)))
