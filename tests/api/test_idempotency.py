"""Idempotency-Key on POST: a retry replays the first response instead of writing twice (issue 4)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Appearance, Claim, IdempotencyKey, User, Verdict
from factcheck.models.types import utcnow
from tests.api.helpers import CLAIMS, appearance, assert_problem, create_claim, verdict
from tests.api.newsrooms import ORGANISATIONS
from tests.conftest import bearer

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


def test_without_a_key_each_post_writes(client, auth):
    client.post(CLAIMS, json=BODY, headers=auth)
    client.post(CLAIMS, json=BODY, headers=auth)
    assert _count(Claim) == 2


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
def test_every_post_on_a_claim_is_idempotent(client, auth, path, body_of):
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


def test_admin_posts_are_idempotent(client, admin_auth):
    first = _post(client, admin_auth, "org", {"name": "Full Fact"}, ORGANISATIONS)
    again = _post(client, admin_auth, "org", {"name": "Full Fact"}, ORGANISATIONS)
    # Not a 409 for a name taken by the first attempt: the retry gets the first answer.
    assert (again.status_code, again.json) == (201, first.json)
    users = f"{ORGANISATIONS}/{first.json['id']}/users"
    user = _post(client, admin_auth, "user", {"name": "Ada", "role": "editor"}, users)
    assert _post(client, admin_auth, "user", {"name": "Ada", "role": "editor"}, users).json == user.json
    assert _count(User) == 2  # Ada and the admin


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
    theirs = _post(client, other, "shared-key")
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json["id"] != mine.json["id"]
    # ... even with another body: the key is theirs too.
    assert _post(client, other, "shared-key").json == theirs.json
    assert _count(Claim) == 2


def test_keys_are_per_user_not_per_token(client, app):
    first_token = bearer("factchecker", "Desk", "Ada")
    second_token = bearer("factchecker", "Desk", "Ada")
    assert first_token != second_token
    first = _post(client, first_token, "laptop-then-phone")
    again = _post(client, second_token, "laptop-then-phone")
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"


def _first_request_is_at(key: str, age: timedelta, done: bool = True) -> None:
    """Make the stored first request of `key` this old and, unless `done`, still unanswered."""
    row = db.session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == key)).one()
    row.created_at = utcnow() - age
    if not done:
        row.response_status = row.response_body = row.response_headers = None
    db.session.commit()


def test_a_key_still_in_flight_is_409(client, auth):
    first = _post(client, auth, "busy")
    _first_request_is_at("busy", timedelta(seconds=0), done=False)

    response = _post(client, auth, "busy")
    assert_problem(response, 409)
    assert "Idempotent-Replayed" not in response.headers
    assert _count(Claim) == 1
    # Another key is not held up.
    assert _post(client, auth, "free").json["id"] != first.json["id"]


def test_a_key_in_flight_inserted_by_another_worker_is_409(client, auth):
    """The row another worker holds while it handles the first request of this key."""
    _post(client, auth, "earlier")
    earlier = db.session.scalars(select(IdempotencyKey)).one()  # the same request, so its hash
    db.session.add(IdempotencyKey(user_id=earlier.user_id, key="busy", request_hash=earlier.request_hash,
                                  created_at=utcnow()))
    db.session.commit()

    assert_problem(_post(client, auth, "busy"), 409)
    assert _count(Claim) == 1


def test_a_first_request_that_died_in_flight_can_be_retried(client, auth):
    _post(client, auth, "crashed")
    _first_request_is_at("crashed", timedelta(minutes=10), done=False)
    retry = _post(client, auth, "crashed")
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers
    assert _post(client, auth, "crashed").json == retry.json


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
