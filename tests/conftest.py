"""Fixtures: every database test runs on SQLite and on PostgreSQL."""
import dataclasses
import os
import re
import uuid

import flask_migrate
import pytest
import sqlalchemy as sa

from factcheck import create_app, settings
from factcheck.extensions import db
from factcheck.models import Organisation
from factcheck.services.accounts import tokens
from factcheck.services.links import linker as linking
from factcheck.services.links.embeddings import forget_vectors

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_skipped_postgres: list[str] = []


def _postgres_schema_url() -> str:
    """A throwaway schema in the test database, so parallel runs and stale tables never meet."""
    schema = f"factcheck_test_{uuid.uuid4().hex[:10]}"
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        engine.dispose()
    except sa.exc.OperationalError as error:
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {error.orig}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must test PostgreSQL)", pytrace=False)
        _skipped_postgres.append(reason)
        pytest.skip(f"PostgreSQL half skipped: {reason}")
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", schema


def _drop_schema(schema: str) -> None:
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'factcheck.db'}"
        return
    url, schema = _postgres_schema_url()
    yield url
    _drop_schema(schema)


def make_app(database_url: str, **config):
    """An app on the database; matching by words alone unless SEMANTIC_MODEL is given
    (tests/semantic runs the semantic stage)."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SEMANTIC_MODEL": "off",
                       **config})


@pytest.fixture(scope="session")
def migrated_app(database_url):
    app = make_app(database_url)
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def set_settings(monkeypatch, app, **changes) -> None:
    """Change the app's settings for one test (create_app made them from its config)."""
    monkeypatch.setitem(app.extensions, settings.KEY, dataclasses.replace(app.extensions[settings.KEY], **changes))


def empty_tables() -> None:
    """Empty every table of the current app's database (ids start again from 1)."""
    db.session.remove()
    forget_vectors()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                conn.exec_driver_sql(f"DELETE FROM {table}")


@pytest.fixture
def app(migrated_app):
    """The app, with every table emptied after the test."""
    with migrated_app.app_context():
        yield migrated_app
        assert linking.background(migrated_app).join(30), "the background linker is still at work"
        empty_tables()


@pytest.fixture
def linker_kept_out(monkeypatch):
    """Claims a write cannot link itself (the linker being held) stay pending: its
    background linker is not woken. Returns the linkers that would have been."""
    woken = []
    monkeypatch.setattr(linking.BackgroundLinker, "wake", lambda linker: woken.append(linker))
    return woken


@pytest.fixture
def client(app):
    return app.test_client()


def site_for(organisation: str) -> str:
    """The site a test newsroom made by bearer() signs with: "Desk A" -> desk-a.example.org."""
    return re.sub(r"[^a-z0-9]+", "-", organisation.lower()).strip("-") + ".example.org"


def bearer(role: str, organisation: str = tokens.DEFAULT_ORGANISATION, name: str | None = None) -> dict:
    """Headers of a new token for a user with `role` in `organisation` (created if missing,
    with the site site_for() gives it)."""
    exists = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == organisation))
    _, secret = tokens.create_token(name or f"test {role}", role, organisation,
                                    site=None if exists else site_for(organisation))
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def auth(app):
    """Headers of a factchecker token."""
    return bearer("factchecker")


@pytest.fixture
def reader_auth(app):
    return bearer("reader")


@pytest.fixture
def admin_auth(app):
    """Headers of an admin token of the default newsroom (which manages that newsroom only)."""
    return bearer("admin")


@pytest.fixture
def operator_auth(app):
    """Headers of an operator token: the instance's role, which sees and creates every newsroom."""
    return bearer("operator", "Instance operators", "test operator")


def pytest_terminal_summary(terminalreporter):
    if _skipped_postgres:
        terminalreporter.write_line(
            f"NOTE: the PostgreSQL half of the suite was skipped ({_skipped_postgres[0]}).", yellow=True)
