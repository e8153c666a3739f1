"""Browser tests: Debian's Chromium driven by Playwright against a real server on loopback."""
import os
import threading
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from factcheck.extensions import db
from tests.api.conftest import newsrooms  # noqa: F401  (a fixture of these tests too)
from tests.conftest import _drop_schema, _postgres_schema_url, make_app
from tests.console.store import build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _missing_browser() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def browser():
    if reason := _missing_browser():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Served:
    """The app on a free loopback port, served by werkzeug in a thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture(params=["sqlite", "postgresql"])
def console(request, browser, tmp_path):
    """A migrated, seeded database (see store.build) served on loopback: (Served, Store, app)."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'console.db'}"
    else:
        url, schema = _postgres_schema_url()
    app = make_app(url, SECRET_KEY="browser-tests", RATE_LIMIT_PER_MINUTE=10**6)
    try:
        with app.app_context():
            flask_migrate.upgrade()
        store = build(app)
        served = Served(app)
        served.thread.start()
        yield served, store, app
        served.server.shutdown()
        served.thread.join()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            _drop_schema(schema)


@pytest.fixture
def context(browser):
    """A fresh browser context (no cookies) per test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context
    context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where each page's screenshot goes: $CONSOLE_SCREENSHOTS, else pytest's temporary folder
    (never the repository; pytest keeps only its last three runs' folders)."""
    if folder := os.environ.get("CONSOLE_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("console-screenshots")


@pytest.fixture
def shoot(screenshots, request):
    """Save a full-page screenshot named after the test, its database and the page."""
    def save(page, name: str) -> Path:
        path = screenshots / f"{request.node.name}-{name}.png".replace("[", "-").replace("]", "")
        page.screenshot(path=path, full_page=True)
        return path
    return save
