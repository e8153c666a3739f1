"""The schema comes from Alembic revisions alone, and they agree with the models."""
import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink
from factcheck.services import claims, verdicts

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


def test_claims_stored_before_languages_were_recorded_are_unknown_and_readable(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0010_postings_by_key")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO claims (text, text_key, language, created_at, status, verdicts_disagree,"
                " sources_disagree, link_text) VALUES ('Una afirmación antigua', 'k', 'en', CURRENT_TIMESTAMP,"
                " 'unchecked', false, false, 'una afirmacion antigua')")
            connection.exec_driver_sql("UPDATE claims SET group_id = id")
        flask_migrate.upgrade()
        stored = db.session.scalars(select(Claim)).one()
        assert (stored.language, stored.language_source) == ("en", "unknown")
        assert claims.get_claim(stored.id)["language_source"] == "unknown"
