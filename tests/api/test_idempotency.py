"""Idempotency-Key on POST: a retry replays the first response instead of writing twice (issue 4)."""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Appearance, Claim, IdempotencyKey, User, Verdict
from factcheck.models.types import utcnow
from factcheck.services.claims import records as claims_service
from tests.api.helpers import CLAIMS, appearance, assert_problem, create_claim, publisher_auth, verdict
from tests.api.newsrooms import ORGANISATIONS
from tests.conftest import bearer
from tests.lock_waits import GIVE_UP_S, LockWaits, backend_pid

BODY = {"text": "Ferries will be free for pensioners from May."}


def _post(client, auth, key: str, body: dict = BODY, url: str = CLAIMS):
    return client.post(url, json=body, headers={**auth, "Idempotency-Key": key})


def _count(model) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_retry_replays_the_first_response(client, auth):
    first = _post(client, auth, "retry-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers

    again = _post(client, auth, "retry-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert again.mimetype == first.mimetype
    assert _count(Claim) == 1
    assert [c["id"] for c in client.get(CLAIMS).json["items"]] == [first.json["id"]]


def test_a_key_replays_many_times(client, auth):
    first = _post(client, auth, "many")
    for _ in range(3):
        assert _post(client, auth, "many").json == first.json
    assert _count(Claim) == 1


def test_without_a_key_a_post_again_is_answered_afresh(client, auth):
    first = client.post(CLAIMS, json=BODY, headers=auth)
    again = client.post(CLAIMS, json={**BODY, "appearances": [appearance()]}, headers=auth)
    # Not a replay: the claim stored with this text, given the appearance it lacked.
    assert (first.status_code, again.status_code) == (201, 200)
    assert "Idempotent-Replayed" not in again.headers
    assert again.json["id"] == first.json["id"] and len(again.json["appearances"]) == 1
    assert _count(Claim) == 1


def test_different_keys_are_different_requests(client, auth):
    first = _post(client, auth, "one")
    second = _post(client, auth, "two", {"text": "Another claim entirely, about ferries."})
    assert first.json["id"] != second.json["id"]
    assert "Idempotent-Replayed" not in second.headers
    assert _count(Claim) == 2


@pytest.mark.parametrize("path, body_of", [
    ("/appearances", lambda n: appearance(f"https://example.org/news/{n}")),
    ("/verdicts", lambda n: verdict("False" if n else "True")),
])
def test_every_post_on_a_claim_is_idempotent(client, path, body_of):
    auth = publisher_auth("politifact.com")  # the newsroom that may publish as body_of's publisher
    claim = create_claim(client, auth)
    url = f"{CLAIMS}/{claim['id']}{path}"
    first = _post(client, auth, "sub", body_of(0), url)
    assert first.status_code == 201, first.json
    again = _post(client, auth, "sub", body_of(0), url)
    assert (again.status_code, again.json) == (201, first.json)
    assert again.headers["Idempotent-Replayed"] == "true"
    if path == "/verdicts":
        assert again.headers["ETag"] == first.headers["ETag"]
    assert _count(Appearance if path == "/appearances" else Verdict) == 1
    assert_problem(_post(client, auth, "sub", body_of(1), url), 422, "Idempotency-Key")


def test_admin_posts_are_idempotent(client, operator_auth):
    body = {"name": "Full Fact", "site": "fullfact.org"}
    first = _post(client, operator_auth, "org", body, ORGANISATIONS)
    again = _post(client, operator_auth, "org", body, ORGANISATIONS)
    # Not a 409 for a name taken by the first attempt: the retry gets the first answer.
    assert (again.status_code, again.json) == (201, first.json)
    users = f"{ORGANISATIONS}/{first.json['id']}/users"
    user = _post(client, operator_auth, "user", {"name": "Ada", "role": "editor"}, users)
    assert _post(client, operator_auth, "user", {"name": "Ada", "role": "editor"}, users).json == user.json
    assert _count(User) == 2  # Ada and the operator


def test_same_key_different_body_is_422(client, auth):
    first = _post(client, auth, "reused")
    response = _post(client, auth, "reused", {"text": "Something else was said about ferries."})
    assert_problem(response, 422, "Idempotency-Key")
    assert "Idempotent-Replayed" not in response.headers
    assert _count(Claim) == 1
    # The key still replays its own request.
    assert _post(client, auth, "reused").json == first.json


def test_same_key_on_another_endpoint_is_422(client, auth):
    claim = _post(client, auth, "k").json
    response = _post(client, auth, "k", BODY, f"{CLAIMS}/{claim['id']}/appearances")
    assert_problem(response, 422, "Idempotency-Key")


def test_keys_are_per_user(client, auth):
    other = bearer("factchecker", "Another newsroom", "someone else")
    mine = _post(client, auth, "shared-key")
    theirs = _post(client, other, "shared-key", {**BODY, "appearances": [appearance()]})
    # Not my request replayed: theirs, answered with the claim stored with this text.
    assert theirs.status_code == 200
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json["id"] == mine.json["id"] and len(theirs.json["appearances"]) == 1
    assert _post(client, other, "shared-key", {**BODY, "appearances": [appearance()]}).json == theirs.json
    assert _count(Claim) == 1


def test_keys_are_per_user_not_per_token(client, app):
    first_token = bearer("factchecker", "Desk", "Ada")
    second_token = bearer("factchecker", "Desk", "Ada")
    assert first_token != second_token
    first = _post(client, first_token, "laptop-then-phone")
    again = _post(client, second_token, "laptop-then-phone")
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"


def _first_request_is_at(key: str, age: timedelta) -> None:
    """Make the stored first request of `key` this old."""
    row = db.session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == key)).one()
    row.created_at = utcnow() - age
    db.session.commit()


class Killed(BaseException):
    """What a worker killed mid-request amounts to: nothing after it runs, not even handlers."""


def _after_the_write(monkeypatch, error: BaseException) -> None:
    """Make POST /claims fail once the claim is written, before the response is kept."""
    real = claims_service.record_claim

    def create_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise error

    monkeypatch.setattr(claims_service, "record_claim", create_then_fail)


def test_a_request_killed_after_its_write_leaves_nothing_and_a_retry_writes_once(client, auth, monkeypatch):
    _after_the_write(monkeypatch, Killed())
    with pytest.raises(Killed):
        _post(client, auth, "killed")
    # The claim and the key commit together, or (here) neither does.
    assert (_count(Claim), _count(IdempotencyKey)) == (0, 0)

    monkeypatch.undo()
    retry = _post(client, auth, "killed")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert _post(client, auth, "killed").json == retry.json
    assert _count(Claim) == 1


def test_a_server_error_keeps_neither_the_write_nor_the_key(client, auth, monkeypatch):
    _after_the_write(monkeypatch, RuntimeError("the disk is full"))
    assert_problem(_post(client, auth, "failed"), 500)
    assert (_count(Claim), _count(IdempotencyKey)) == (0, 0)

    monkeypatch.undo()
    retry = _post(client, auth, "failed")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert _count(Claim) == 1


def test_a_retry_while_the_first_runs_waits_and_replays_it(app, auth, monkeypatch):
    """Two workers get the same key at once: the second waits for the first's commit."""
    lock_waits = LockWaits(db.engine, monkeypatch)
    writing, go_on = threading.Event(), threading.Event()
    first_backend = []
    real = claims_service.record_claim

    def slow_create(*args, **kwargs):
        claim = real(*args, **kwargs)
        first_backend.append(backend_pid(db.session.connection()))
        writing.set()
        assert go_on.wait(GIVE_UP_S)
        return claim

    monkeypatch.setattr(claims_service, "record_claim", slow_create)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(_post, app.test_client(), auth, "twice")
        assert writing.wait(GIVE_UP_S)
        monkeypatch.setattr(claims_service, "record_claim", real)
        second = pool.submit(_post, app.test_client(), auth, "twice")
        # Seen queued behind the first request's transaction, which holds the key.
        lock_waits.until_blocked_by(first_backend[0])
        assert not second.done()
        go_on.set()
        first, second = first.result(GIVE_UP_S), second.result(GIVE_UP_S)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert (second.status_code, second.json) == (201, first.json)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert _count(Claim) == 1


def test_a_key_is_kept_for_24_hours(client, auth):
    first = _post(client, auth, "yesterday")
    _first_request_is_at("yesterday", timedelta(hours=23, minutes=59))
    again = _post(client, auth, "yesterday")
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert _count(Claim) == 1


def test_a_key_older_than_24_hours_is_a_new_request(client, auth):
    first = _post(client, auth, "last-week", {"text": "An old claim about ferries."})
    _first_request_is_at("last-week", timedelta(days=7))
    again = _post(client, auth, "last-week")
    assert again.status_code == 201 and again.json["id"] != first.json["id"]
    assert "Idempotent-Replayed" not in again.headers


def test_an_error_response_is_replayed_too(client, auth):
    invalid = {"text": ""}
    first = _post(client, auth, "bad", invalid)
    assert_problem(first, 422, "text")
    again = _post(client, auth, "bad", invalid)
    assert_problem(again, 422, "text")
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_not_found_is_replayed(client, auth):
    first = _post(client, auth, "gone", verdict("True"), f"{CLAIMS}/999/verdicts")
    assert_problem(first, 404)
    again = _post(client, auth, "gone", verdict("True"), f"{CLAIMS}/999/verdicts")
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize("length, status", [(255, 201), (256, 400), (1000, 400)])
def test_key_length(client, auth, length, status):
    response = _post(client, auth, "k" * length)
    assert response.status_code == status
    if status == 400:
        assert_problem(response, 400, "Idempotency-Key")
        assert _count(Claim) == 0


def test_an_empty_key_is_400(client, auth):
    assert_problem(_post(client, auth, ""), 400, "Idempotency-Key")
    assert _count(Claim) == 0


def test_a_key_needs_a_token_first(client, auth):
    """An anonymous retry learns nothing about anyone's keys."""
    _post(client, auth, "mine")
    assert_problem(client.post(CLAIMS, json=BODY, headers={"Idempotency-Key": "mine"}), 401)
