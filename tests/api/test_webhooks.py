"""Webhooks: registration (admin), the outbox written with each change, and the delivery worker."""
import hashlib
import hmac
import json
import socket
from datetime import timedelta

import pytest

from factcheck.models.types import utcnow
from factcheck.services.exchange import bulk
from factcheck.services.webhooks import outbox as webhooks
from factcheck.services.webhooks.delivery import MAX_ATTEMPTS
from tests.api.helpers import (
    BASE_CLAIM,
    NEAR_COPY,
    add_appearance,
    add_verdict,
    assert_problem,
    create_claim,
    get_claim,
)
from tests.api.receivers import WEBHOOKS, deliver, deliveries, make_due, register
from tests.conftest import bearer

# The receivers here listen on loopback, which only WEBHOOKS_ALLOW_PRIVATE lets webhooks reach
# (test_webhook_targets shows the refusals without it).
pytestmark = pytest.mark.usefixtures("private_receivers")


@pytest.fixture
def admin(app):
    return bearer("admin")


def test_admin_registers_a_webhook_and_sees_its_secret_once(client, admin, receiver):
    created = register(client, admin, receiver.url, description="Night desk")
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["claim_ids"] == [] and created["url"] == receiver.url
    listed = client.get(WEBHOOKS, headers=admin).json["items"]
    assert [w["id"] for w in listed] == [created["id"]]
    shown = client.get(f"{WEBHOOKS}/{created['id']}", headers=admin)
    assert "secret" not in listed[0] and "secret" not in shown.json
    assert created["secret"] not in shown.get_data(as_text=True)


def test_only_admins_manage_webhooks(client, auth, receiver):
    assert_problem(client.post(WEBHOOKS, json={"url": receiver.url}), 401)
    assert_problem(client.post(WEBHOOKS, json={"url": receiver.url}, headers=auth), 403)
    assert_problem(client.get(WEBHOOKS, headers=auth), 403)


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://127.0.0.1/x"}, "url"),
    ({"url": "http://127.0.0.1/x", "claim_ids": ["one"]}, "claim_ids"),
    ({"url": "http://127.0.0.1/x", "events": ["all"]}, "events"),
])
def test_invalid_registrations_are_422(client, admin, body, field):
    assert_problem(client.post(WEBHOOKS, json=body, headers=admin), 422, field)


def test_following_an_unknown_claim_is_422(client, admin, receiver):
    assert_problem(client.post(WEBHOOKS, json={"url": receiver.url, "claim_ids": [999]}, headers=admin),
                   422, "claim_ids")


def test_a_verdict_is_queued_not_sent_then_delivered_signed(app, client, auth, admin, receiver):
    hook = register(client, admin, receiver.url)
    claim = create_claim(client, auth)
    verdict = add_verdict(client, claim["id"], "Pants on Fire")

    # The POST returned without contacting the receiver; the outbox row is already there.
    assert receiver.requests == []
    (queued,) = deliveries()
    assert (queued.status, queued.attempts, queued.event_type) == ("pending", 0, "verdict.created")

    assert "1 delivered" in deliver(app)
    ((headers, body),) = receiver.requests
    expected = "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Factcheck-Signature"], expected)
    assert headers["X-Factcheck-Event"] == "verdict.created"
    assert headers["X-Factcheck-Event-Id"] == queued.event_id
    assert abs(int(headers["X-Factcheck-Timestamp"]) - utcnow().timestamp()) < 300
    event = json.loads(body)
    assert event["id"] == queued.event_id and event["type"] == "verdict.created"
    assert event["claim"]["id"] == claim["id"] and event["claim"]["status"] == "checked"
    assert event["verdict"]["id"] == verdict["id"] and event["verdict"]["rating"] == "Pants on Fire"

    (sent,) = deliveries()
    assert (sent.status, sent.attempts, sent.last_error) == ("delivered", 1, None)
    assert sent.delivered_at is not None
    deliver(app)
    assert len(receiver.requests) == 1  # delivered once only


def test_an_event_shows_the_claim_and_the_verdict_as_the_api_does(client, auth, admin, receiver):
    """A payload's claim and verdict are fields of the documents the API answers with."""
    register(client, admin, receiver.url)
    claim = create_claim(client, auth)
    verdict = add_verdict(client, claim["id"], "Mostly False", url="https://www.politifact.com/factchecks/2/")
    (row,) = deliveries()
    shown = get_claim(client, claim["id"])
    assert row.payload["claim"] == {**{name: shown[name] for name in webhooks.CLAIM_FIELDS},
                                    "group_claim_ids": [claim["id"]]}
    assert row.payload["verdict"] == {name: verdict[name] for name in webhooks.VERDICT_FIELDS}


def test_a_failing_receiver_is_retried_with_backoff_then_given_up(app, client, auth, admin, receiver):
    register(client, admin, receiver.url)
    claim = create_claim(client, auth)
    add_verdict(client, claim["id"], "True")
    receiver.status = 500

    before = utcnow()
    deliver(app)
    (row,) = deliveries()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "500" in row.last_error
    assert timedelta(seconds=59) <= row.next_attempt_at - before <= timedelta(seconds=70)
    deliver(app)  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    make_due()
    before = utcnow()
    deliver(app)
    (row,) = deliveries()
    assert row.attempts == 2 and len(receiver.requests) == 2
    assert timedelta(seconds=119) <= row.next_attempt_at - before <= timedelta(seconds=130)

    for _ in range(MAX_ATTEMPTS - 2):
        make_due()
        deliver(app)
    (row,) = deliveries()
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(receiver.requests) == MAX_ATTEMPTS

    # All the bodies were the same bytes: a receiver can deduplicate on the event id.
    assert len({body for _, body in receiver.requests}) == 1


def test_an_unreachable_receiver_is_recorded_and_retried(app, client, auth, admin):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    register(client, admin, f"http://127.0.0.1:{port}/hook")
    claim = create_claim(client, auth)
    add_verdict(client, claim["id"], "False")
    deliver(app)
    (row,) = deliveries()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "unreachable" in row.last_error and row.next_attempt_at > utcnow()


def test_a_claim_that_becomes_contested_is_announced(app, client, auth, admin, receiver):
    register(client, admin, receiver.url)
    claim = create_claim(client, auth, appearances=[{"url": "https://a.example.com/1", "stance": "asserts"}])
    add_appearance(client, auth, claim["id"], url="https://b.example.com/2", stance="reports")
    assert deliveries() == []  # no verdict, not contested: nothing to say
    add_appearance(client, auth, claim["id"], url="https://c.example.com/3", stance="denies")
    add_appearance(client, auth, claim["id"], url="https://d.example.com/4", stance="denies")

    (row,) = deliveries()  # contested once, not again while it stays contested
    assert row.event_type == "claim.contested"
    deliver(app)
    event = json.loads(receiver.requests[0][1])
    assert event["claim"]["id"] == claim["id"]
    assert event["claim"]["contested_because"] == ["sources_disagree"]


def test_a_claim_its_own_sources_contest_is_announced_when_created(client, auth, admin, receiver):
    register(client, admin, receiver.url)
    claim = create_claim(client, auth, appearances=[
        {"url": "https://a.example.com/1", "stance": "asserts"}, {"url": "https://b.example.com/2", "stance": "reports"},
        {"url": "https://c.example.com/3", "stance": "denies"}, {"url": "https://d.example.com/4", "stance": "denies"}])
    assert claim["status"] == "contested"
    (row,) = deliveries()
    assert row.event_type == "claim.contested" and row.payload["claim"]["id"] == claim["id"]


def test_a_webhook_hears_only_the_claims_it_follows(app, client, auth, admin, receiver):
    followed = create_claim(client, auth, "The river flooded the old town twice this spring.")
    other = create_claim(client, auth, "Bananas are the most traded fruit in the world by volume.")
    register(client, admin, receiver.url, claim_ids=[followed["id"]])
    add_verdict(client, other["id"], "True")
    add_verdict(client, followed["id"], "False")
    deliver(app)
    assert [json.loads(body)["claim"]["id"] for _, body in receiver.requests] == [followed["id"]]


def test_deleting_a_webhook_needs_if_match_and_drops_its_outbox(client, auth, admin, receiver):
    hook = register(client, admin, receiver.url)
    claim = create_claim(client, auth)
    add_verdict(client, claim["id"], "True")
    url = f"{WEBHOOKS}/{hook['id']}"
    assert client.delete(url, headers=admin).status_code == 428
    assert client.delete(url, headers={**admin, "If-Match": '"7"'}).status_code == 412
    etag = client.get(url, headers=admin).headers["ETag"]
    assert client.delete(url, headers={**admin, "If-Match": etag}).status_code == 204
    assert client.get(url, headers=admin).status_code == 404
    assert deliveries() == []


def test_deliveries_are_listed_with_their_attempts(app, client, auth, admin, receiver):
    hook = register(client, admin, receiver.url)
    claim = create_claim(client, auth)
    add_verdict(client, claim["id"], "True")
    receiver.status = 503
    deliver(app)
    (item,) = client.get(f"{WEBHOOKS}/{hook['id']}/deliveries", headers=admin).json["items"]
    assert (item["status"], item["attempts"], item["event_type"]) == ("pending", 1, "verdict.created")
    assert "503" in item["last_error"]


def test_an_import_that_makes_a_stored_group_contested_is_announced(app, client, auth, admin, receiver):
    """The imported near-copy joins the stored claim's group and brings a verdict that
    disagrees with the stored one: the stored claim becomes contested too."""
    register(client, admin, receiver.url)
    stored = create_claim(client, auth, BASE_CLAIM)
    add_verdict(client, stored["id"], "True", site="snopes.com")
    before = {row.id for row in deliveries()}

    bulk.import_claims([{"text": NEAR_COPY, "verdicts": [
        {"publisher": {"name": "PolitiFact", "site": "politifact.com"}, "rating": "False"}]}])

    events = [row for row in deliveries() if row.id not in before]
    assert sorted(row.event_type for row in events) == ["claim.contested", "verdict.created"]
    (contested,) = [row.payload for row in events if row.event_type == "claim.contested"]
    assert contested["claim"]["id"] == stored["id"]
    assert contested["claim"]["contested_because"] == ["verdicts_disagree"]
    assert len(contested["claim"]["group_claim_ids"]) == 2
