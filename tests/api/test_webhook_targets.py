"""Webhooks reach public addresses only: refused at registration, checked again at each
delivery against every address the host resolves to, connected to as checked, never
redirected; WEBHOOKS_ALLOW_PRIVATE lets an on-premise operator use private receivers."""
import socket

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Webhook
from factcheck.services.webhooks import targets as webhook_targets
from tests.api.helpers import add_verdict, assert_problem, create_claim
from tests.api.receivers import WEBHOOKS, Receiver, deliver, deliveries, make_due, register
from tests.conftest import bearer, set_settings

PUBLIC = "93.184.215.14"  # a public address no test ever connects to


@pytest.fixture
def admin(app):
    return bearer("admin")


@pytest.fixture
def public_only(app, monkeypatch):
    """The default: WEBHOOKS_ALLOW_PRIVATE off."""
    set_settings(monkeypatch, app, webhooks_allow_private=False)


class FakeDNS:
    """Names under .test answer what `answers[name]` says (its next entry, on each lookup);
    numeric hosts go to the real getaddrinfo, which reads them without any DNS."""

    def __init__(self, monkeypatch):
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if isinstance(host, str) and host.endswith(".test"):
                self.lookups.append(host)
                addresses = self.answers[host].pop(0) if len(self.answers[host]) > 1 else self.answers[host][0]
                return [info for address in addresses for info in real(address, port, *args, **kwargs)]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(webhook_targets.socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def dns(monkeypatch) -> FakeDNS:
    return FakeDNS(monkeypatch)


def _stored_webhooks() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count(Webhook.id)))


def _announce(client, auth) -> None:
    """A published verdict: one delivery queued for every webhook."""
    add_verdict(client, create_claim(client, auth)["id"], "False")


REFUSED = [
    "http://127.0.0.1:5432/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://localhost:8080/hook",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://10.0.0.5/",
    "http://172.16.0.1/",
    "http://192.168.1.1:8080/",
    "http://100.64.0.1/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "https://192.0.2.1/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_a_non_public_receiver_is_refused_at_registration(client, admin, public_only, url):
    response = client.post(WEBHOOKS, json={"url": url}, headers=admin)
    body = assert_problem(response, 422, "url")
    assert "not a public address" in " ".join(body["errors"]["url"])
    assert _stored_webhooks() == 0


@pytest.mark.parametrize("url", [f"http://{PUBLIC}/hook", "https://[2606:4700::1111]:8443/in?desk=a"])
def test_a_public_address_is_accepted(client, admin, public_only, url):
    assert register(client, admin, url)["url"] == url


def test_a_host_that_resolves_to_any_non_public_address_is_refused(client, admin, public_only, dns):
    dns.answers["mixed.example.test"] = [[PUBLIC, "127.0.0.1"]]
    dns.answers["public.example.test"] = [[PUBLIC]]
    assert_problem(client.post(WEBHOOKS, json={"url": "http://mixed.example.test/"}, headers=admin), 422, "url")
    assert register(client, admin, "http://public.example.test/in")["url"] == "http://public.example.test/in"
    assert _stored_webhooks() == 1


def test_a_host_that_does_not_resolve_is_refused(client, admin, public_only, monkeypatch):
    def nowhere(host, port, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(webhook_targets.socket, "getaddrinfo", nowhere)
    assert_problem(client.post(WEBHOOKS, json={"url": "http://nowhere.example.test/"}, headers=admin), 422, "url")


def test_private_receivers_are_allowed_by_the_operator_setting(client, admin, private_receivers, receiver):
    assert register(client, admin, receiver.url)["url"] == receiver.url
    assert register(client, admin, "http://localhost:8080/hook")["url"] == "http://localhost:8080/hook"


def test_the_address_is_checked_again_at_delivery(app, client, auth, admin, receiver, monkeypatch):
    """Registered while private receivers were allowed; the operator has turned them off since."""
    set_settings(monkeypatch, app, webhooks_allow_private=True)
    register(client, admin, receiver.url)
    _announce(client, auth)
    set_settings(monkeypatch, app, webhooks_allow_private=False)

    assert "1 to retry later" in deliver(app)
    assert receiver.requests == []
    (row,) = deliveries()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "refused: 127.0.0.1 resolves to 127.0.0.1, which is not a public address."

    set_settings(monkeypatch, app, webhooks_allow_private=True)
    make_due()
    assert "1 delivered" in deliver(app)
    assert len(receiver.requests) == 1


def test_a_name_that_rebinds_to_loopback_is_refused_at_delivery(app, client, auth, admin, public_only, dns):
    """Public when registered, loopback when delivered to: nothing is sent."""
    dns.answers["rebind.example.test"] = [[PUBLIC], ["127.0.0.1"]]
    register(client, admin, "http://rebind.example.test:8080/in")
    _announce(client, auth)
    deliver(app)
    (row,) = deliveries()
    assert row.last_error.startswith("refused: rebind.example.test resolves to 127.0.0.1")
    assert dns.lookups == ["rebind.example.test", "rebind.example.test"]


def test_the_connection_goes_to_the_address_checked(app, client, auth, admin, private_receivers, receiver, dns):
    """The name is looked up once per delivery, and the POST goes to that answer: a second
    lookup (which would answer 127.0.0.2, where nothing listens) never happens."""
    dns.answers["desk.example.test"] = [["127.0.0.1"], ["127.0.0.2"]]
    register(client, admin, f"http://desk.example.test:{receiver.port}/in?via=dns")
    assert dns.lookups == []  # private receivers allowed: nothing to check at registration
    _announce(client, auth)
    assert "1 delivered" in deliver(app)
    ((headers, _),) = receiver.requests
    assert headers["Host"] == f"desk.example.test:{receiver.port}"
    assert dns.lookups == ["desk.example.test"]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_never_followed(app, client, auth, admin, private_receivers, receiver, status):
    elsewhere = Receiver()
    try:
        receiver.status, receiver.headers = status, {"Location": elsewhere.url}
        register(client, admin, receiver.url)
        _announce(client, auth)
        deliver(app)
        assert len(receiver.requests) == 1 and elsewhere.requests == []
        (row,) = deliveries()
        assert row.status == "pending" and row.delivered_at is None
        assert row.last_error.startswith(f"HTTP {status} ") and "redirects are not followed" in row.last_error
    finally:
        elsewhere.close()
