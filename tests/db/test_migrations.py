"""The schema comes from Alembic revisions alone, and they agree with the models."""
import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink, Verdict
from factcheck.services.claims import records as claims
from factcheck.services.verdicts import reviews as verdicts

NEAR_COPY = "Fifteen Russian crew members were killed when Syrian air defences shot down the plane."


def _drift(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgraded_schema_matches_the_models(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert _drift(empty_app) == []


def test_downgrade_to_base_and_upgrade_again_with_data(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        claim_id = claims.create_claim({"text": NEAR_COPY})
        verdicts.submit_verdict(claim_id, {"publisher": {"name": "Demo", "site": "demo.example.org"},
                                           "rating": "True"})
        claims.create_claim({"text": NEAR_COPY.replace("Fifteen", "15")})
        db.session.remove()

        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

        flask_migrate.upgrade()
        assert _drift(empty_app) == []
        assert db.session.scalar(select(func.count(Claim.id))) == 0
        # The upgraded database works: storing a claim indexes and links it again.
        first = claims.create_claim({"text": NEAR_COPY})
        second = claims.create_claim({"text": NEAR_COPY.replace("Fifteen", "15")})
        links = db.session.scalars(select(ClaimLink)).all()
        assert [(link.claim_id, link.other_id) for link in links] == [(first, second)]


def test_claims_stored_before_the_links_revision_get_their_own_group(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0001_core")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO claims (text, language, created_at, status, verdicts_disagree, sources_disagree)"
                " VALUES ('An old claim', 'en', CURRENT_TIMESTAMP, 'unchecked', false, false)")
        flask_migrate.upgrade()
        stored = db.session.scalars(select(Claim)).one()
        assert stored.group_id == stored.id
        assert _drift(empty_app) == []


def _store_old_claim(connection, claim: str) -> None:
    """A claim as revisions 0010 and 0011 store it, written without the models of today."""
    connection.execute(text(
        "INSERT INTO claims (text, text_key, language, created_at, status, verdicts_disagree, sources_disagree,"
        " link_text) VALUES (:claim, 'k', 'en', CURRENT_TIMESTAMP, 'unchecked', false, false, :claim)"),
        {"claim": claim})
    connection.exec_driver_sql("UPDATE claims SET group_id = id")


def test_claims_stored_before_languages_were_recorded_are_unknown_and_readable(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0010_postings_by_key")
        with db.engine.begin() as connection:
            _store_old_claim(connection, "Una afirmación antigua")
        flask_migrate.upgrade()
        stored = db.session.scalars(select(Claim)).one()
        assert (stored.language, stored.language_source) == ("en", "unknown")
        assert claims.get_claim(stored.id)["language_source"] == "unknown"


def test_newsroom_scopes_keep_sites_and_give_webhooks_their_newsroom(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0013_link_queue")
        with db.engine.begin() as connection:
            for name, site in [("Full Fact", "WWW.FullFact.org"), ("Copycat", "fullfact.org"), ("Night desk", None)]:
                connection.execute(text("INSERT INTO organisations (name, site, created_at) "
                                        "VALUES (:name, :site, CURRENT_TIMESTAMP)"), {"name": name, "site": site})
            for organisation_id, name, role in [(1, "Ada", "admin"), (1, "Bo", "admin"), (2, "Bo", "admin"),
                                                (3, "Cy", "editor")]:
                connection.execute(text("INSERT INTO users (organisation_id, name, role, created_at) "
                                        "VALUES (:o, :n, :r, CURRENT_TIMESTAMP)"),
                                   {"o": organisation_id, "n": name, "r": role})
            for created_by in ("Ada", "Bo", "Cy", "Zed", None):
                connection.execute(text("INSERT INTO webhooks (url, secret, claim_ids, created_by, created_at) "
                                        "VALUES ('http://93.184.215.14/', 's', '[]', :by, CURRENT_TIMESTAMP)"),
                                   {"by": created_by})
            connection.execute(text(
                "INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, attempts, "
                "next_attempt_at, created_at) VALUES (1, 'e1', 'verdict.created', '{}', 'pending', 0, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        flask_migrate.upgrade()
        assert _drift(empty_app) == []
        with db.engine.connect() as connection:
            sites = dict(connection.execute(text("SELECT name, site FROM organisations")).all())
            owners = dict(connection.execute(text("SELECT created_by, organisation_id FROM webhooks")).all())
            versions = set(connection.execute(text("SELECT version FROM organisations")).scalars())
            assert connection.execute(text("SELECT event_id FROM webhook_deliveries")).scalars().all() == ["e1"]
        # And back: nothing queued is lost either way.
        flask_migrate.downgrade(revision="0013_link_queue")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT event_id FROM webhook_deliveries")).scalars().all() == ["e1"]
            assert connection.execute(text("SELECT COUNT(*) FROM webhooks")).scalar() == 5
    # The older newsroom keeps the site both named; the other signs as nobody until an operator says.
    assert sites == {"Full Fact": "fullfact.org", "Copycat": None, "Night desk": None}
    # A webhook goes to the one newsroom with an admin of its creator's name; otherwise to operators.
    assert owners == {"Ada": 1, "Bo": None, "Cy": None, "Zed": None, None: None}
    assert versions == {1}


def test_reviews_stored_before_keep_the_name_they_were_shown_with(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0011_language_source")
        with db.engine.begin() as connection:
            _store_old_claim(connection, "A checked claim")
            connection.exec_driver_sql("INSERT INTO publishers (name, site) VALUES ('PolitiFact', 'politifact.com')")
            connection.exec_driver_sql(
                "INSERT INTO verdicts (claim_id, publisher_id, rating, category, review_date, created_at, updated_at,"
                " status, version) SELECT claims.id, publishers.id, 'False', 'false', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'published', 1 FROM claims, publishers")
        db.session.remove()
        flask_migrate.upgrade()
        claim_id = db.session.scalar(select(Claim.id))
        (verdict,) = claims.get_claim(claim_id)["verdicts"]
        assert verdict["publisher"] == {"name": "PolitiFact", "site": "politifact.com"}
        assert db.session.scalar(select(Verdict.publisher_name)) == "PolitiFact"


def test_every_connection_enforces_foreign_keys_after_migrating(empty_app):
    """SQLite's revisions run with foreign keys off; no connection the app gets afterwards
    may keep that (a webhook's deletion would leave its outbox behind)."""
    with empty_app.app_context():
        flask_migrate.upgrade()
        connections = [db.engine.connect() for _ in range(4)]
        try:
            pragma = "PRAGMA foreign_keys" if db.engine.dialect.name == "sqlite" else "SELECT 1"
            assert [c.exec_driver_sql(pragma).scalar() for c in connections] == [1] * 4
        finally:
            for connection in connections:
                connection.close()
