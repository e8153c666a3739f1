"""Fixtures: a fresh migrated database with tokens, and real gunicorn servers on it."""
from dataclasses import dataclass

import flask_migrate
import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import PendingLink
from factcheck.services.accounts import tokens
from tests.conftest import _drop_schema, _postgres_schema_url, make_app
from tests.system.integrity import integrity_problems
from tests.system.server import Gunicorn, until

DESKS = 8
# The desks' newsroom, whose site signs their verdicts.
NEWSROOM, SITE = "The desks", "desks.example.org"


@dataclass
class SystemDatabase:
    url: str
    tokens: list[str]  # one factchecker per desk, all in one newsroom (NEWSROOM)
    engine: sa.Engine

    def problems(self) -> list[str]:
        return integrity_problems(self.engine)

    def pending(self) -> list[int]:
        """Claims stored but not yet linked."""
        with self.engine.connect() as connection:
            return list(connection.scalars(sa.select(PendingLink.claim_id).order_by(PendingLink.claim_id)))

    def wait_until_linked(self, timeout: float = 30.0) -> None:
        """Poll until the servers have linked every claim stored."""
        until(lambda: not self.pending(), timeout, "the pending claims to be linked")


@pytest.fixture(params=["sqlite", "postgresql"])
def system_db(request, tmp_path):
    """An empty database, migrated, with a token per desk."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'factcheck.db'}"
    else:
        url, schema = _postgres_schema_url()
    try:
        app = make_app(url)
        with app.app_context():
            flask_migrate.upgrade()
            secrets = [tokens.create_token(f"desk {desk}", "factchecker", NEWSROOM, site=SITE)[1]
                       for desk in range(DESKS)]
            db.engine.dispose()
        engine = sa.create_engine(url)
        yield SystemDatabase(url, secrets, engine)
        engine.dispose()
    finally:
        if schema:
            _drop_schema(schema)


@pytest.fixture
def servers(system_db, tmp_path, request):
    """Start gunicorn on the database (again after a crash): `servers.start()`. Every server
    is stopped at the end; the log is shown when the test failed."""
    started: list[Gunicorn] = []
    log_path = tmp_path / "gunicorn.log"

    class Servers:
        def start(self, **settings: str) -> Gunicorn:
            server = Gunicorn(system_db.url, log_path, settings=settings)
            started.append(server)
            return server.start()

        def log(self) -> str:
            return log_path.read_text(errors="replace") if log_path.exists() else ""

    yield Servers()
    for server in started:
        server.stop()
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        print(f"--- gunicorn log ({log_path}), last 100 lines ---")
        print("\n".join(Servers().log().splitlines()[-100:]))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
