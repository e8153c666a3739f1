"""The semantic stage on: every test here runs with all-MiniLM-L6-v2, on SQLite and PostgreSQL."""
import pytest

from factcheck.extensions import db
from tests.conftest import empty_tables, make_app

MODEL = "all-MiniLM-L6-v2"


@pytest.fixture(scope="session")
def semantic_app(migrated_app, database_url):
    """A second app on the migrated database, with the semantic stage on."""
    app = make_app(database_url, SEMANTIC_MODEL=MODEL)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(semantic_app):
    with semantic_app.app_context():
        yield semantic_app
        empty_tables()
