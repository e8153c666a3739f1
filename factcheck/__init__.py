"""factcheck: a claim tracker for fact-checking newsrooms."""
from flask import Flask, redirect, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path
from werkzeug.middleware.proxy_fix import ProxyFix

from factcheck import settings
from factcheck.api.converters import IdConverter, id_schema
from factcheck.api.problem import ProblemApi
from factcheck.config import Config
from factcheck.extensions import db, migrate
from factcheck.json_provider import OrjsonProvider
from factcheck.storage.engine import configure_engine


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(Config.INSTANCE_DIR))
    app.json = OrjsonProvider(app)
    app.config.from_object(Config)
    app.config.update(config or {})
    # Made once, handed to services; fails at start-up, not on the first POST, when the
    # link thresholds make no sense.
    settings.init_app(app)
    if app.config["TRUSTED_PROXIES"] < 0:
        raise ValueError("TRUSTED_PROXIES counts the proxies in front of the app: 0 or more.")
    if app.config["TRUSTED_PROXIES"]:
        # The one place the client's address is taken from X-Forwarded-For, through that many proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=0)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Config.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    from factcheck import models  # noqa: F401  (registers the tables with the metadata)

    db.init_app(app)
    from factcheck.services.webhooks.outbox import remember_statuses

    remember_statuses()  # what webhooks' "became contested" compares with
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(Config.MIGRATIONS_DIR))
    app.url_map.converters["id"] = IdConverter
    # One Api per app: flask-smorest keeps the app and its spec on the Api object.
    api = ProblemApi(app)
    api.register_converter(IdConverter, id_schema)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})

    from factcheck.api import admin, claims, health, links, verdicts, webhooks
    from factcheck.api.auth import add_rate_headers
    from factcheck.api.output import nosniff

    api.register_blueprint(health.blp)
    api.register_blueprint(claims.blp)
    api.register_blueprint(verdicts.blp)
    api.register_blueprint(links.blp)
    api.register_blueprint(admin.blp)
    api.register_blueprint(webhooks.blp)
    from factcheck.api import claimreview, directories, google, review
    api.register_blueprint(review.blp)
    api.register_blueprint(claimreview.blp)
    api.register_blueprint(google.blp)
    api.register_blueprint(directories.blp)
    from factcheck.api import articles
    api.register_blueprint(articles.blp)
    app.after_request(add_rate_headers)
    app.after_request(nosniff)

    @app.get("/api/v1/docs/assets/<path:filename>")
    def swagger_ui_assets(filename):
        return send_from_directory(swagger_ui_path, filename)

    # Where a person lands: the console; the API's root: its docs page.
    app.add_url_rule("/", "root", lambda: redirect(url_for("console.inbox")))
    app.add_url_rule("/api/v1/", "api_root", lambda: redirect(url_for("api-docs.openapi_swagger_ui")))

    from factcheck import console

    console.init_app(app)

    from factcheck.cli import register_commands

    register_commands(app)
    return app
