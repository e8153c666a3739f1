"""A fresh, empty database per test, on SQLite and on PostgreSQL."""
import pytest

from tests.conftest import _drop_schema, _postgres_schema_url, make_app


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path):
    if request.param == "sqlite":
        app = make_app(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield app
        return
    url, schema = _postgres_schema_url()
    app = make_app(url)
    yield app
    from factcheck.extensions import db

    with app.app_context():
        db.engine.dispose()
    _drop_schema(schema)
