"""Fixtures of the API tests: two newsrooms, and apps with other settings on the test database."""
import pytest

from factcheck.extensions import db
from tests.api.helpers import create_claim
from tests.api.newsrooms import RATED, Newsroom, newsroom, post_verdict
from tests.api.receivers import Receiver
from tests.conftest import make_app, set_settings


@pytest.fixture
def newsrooms(client, operator_auth) -> tuple[Newsroom, Newsroom]:
    """Desk A and Desk B, made by an operator, each with a site and admin, editor,
    factchecker and reader tokens."""
    return (newsroom(client, operator_auth, "Desk A", "desk-a.example.org"),
            newsroom(client, operator_auth, "Desk B", "desk-b.example.org"))


@pytest.fixture
def checked(client, newsrooms) -> dict:
    """A claim Desk A rated true (its review at https://desk-a.example.org/checks/1)."""
    a, _ = newsrooms
    claim = create_claim(client, a.factchecker, RATED)
    post_verdict(client, a.factchecker, claim["id"], "True", url="https://desk-a.example.org/checks/1")
    return claim


@pytest.fixture
def configured_app(app, database_url):
    """Build an app with other settings on the test database; its engine is closed after."""
    built = []

    def build(**config):
        other = make_app(database_url, **config)
        built.append(other)
        return other

    yield build
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def receiver():
    """A webhook receiver listening on 127.0.0.1."""
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def private_receivers(app, monkeypatch):
    """WEBHOOKS_ALLOW_PRIVATE on, as an on-premise operator sets it: webhooks may reach loopback."""
    set_settings(monkeypatch, app, webhooks_allow_private=True)
