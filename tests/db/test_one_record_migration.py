"""Upgrading a database stored before one-thing-one-record merges what it now counts as one."""
import flask_migrate
from sqlalchemy import func, select, text

from factcheck.extensions import db
from factcheck.models import Appearance, Article, Claim, Claimant, Outlet
from factcheck.services.claims import records as claims
from tests.db.test_migrations import _drift

CLAIM = "An Israeli pilot used the Russian plane as a shield."
ROWS = [
    ("INSERT INTO claimants (id, name, name_key, created_at) VALUES"
     " (1, 'Reuters', 'reuters', CURRENT_TIMESTAMP), (2, 'Reuters\u200b', 'reuters\u200b', CURRENT_TIMESTAMP),"
     " (3, 'Ｒｅｕｔｅｒｓ', 'ｒｅｕｔｅｒｓ', CURRENT_TIMESTAMP), (4, '\u200b', '\u200b', CURRENT_TIMESTAMP)"),
    ("INSERT INTO outlets (id, name, domain) VALUES (1, 'Example', 'example.com'),"
     " (2, 'Bücher\u00ad', 'bücher.example'), (3, 'xn--bcher-kva.example', 'xn--bcher-kva.example')"),
    ("INSERT INTO articles (id, url, outlet_id, title) VALUES (1, 'https://example.com/a', 1, NULL),"
     " (2, 'http://www.example.com/a/?utm_source=feed', 1, 'Plane downed'), (3, 'https://example.com/b', 1, NULL),"
     " (4, 'https://bücher.example/x', 2, NULL)"),
    # Stored as it was summarised then: two assertions (one article, counted twice), one denial.
    (f"INSERT INTO claims (id, text, text_key, language, claimant_id, created_at, group_id, link_text, status,"
     f" verdicts_disagree, sources_disagree, contest_score) VALUES (1, '{CLAIM}', 'k', 'en', 2, CURRENT_TIMESTAMP,"
     f" 1, 'x', 'contested', false, true, 0.5)"),
    ("INSERT INTO appearances (id, claim_id, article_id, claimant_id, stance, created_at) VALUES"
     " (1, 1, 1, 1, 'asserts', CURRENT_TIMESTAMP), (2, 1, 2, 3, 'asserts', CURRENT_TIMESTAMP),"
     " (3, 1, 3, NULL, 'denies', CURRENT_TIMESTAMP), (4, 1, 4, 4, 'reports', CURRENT_TIMESTAMP)"),
]


def _rows(model, *columns):
    return db.session.execute(select(*(getattr(model, c) for c in columns)).order_by(model.id)).all()


def test_upgrade_merges_claimants_outlets_articles_and_their_appearances(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0012_verdict_signatures")
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        flask_migrate.upgrade()
        assert _drift(empty_app) == []

        assert _rows(Claimant, "id", "name", "name_key") == [(1, "Reuters", "reuters")]
        assert _rows(Outlet, "id", "domain") == [(1, "example.com"), (3, "xn--bcher-kva.example")]
        assert _rows(Article, "id", "url", "outlet_id", "title") == [
            (1, "https://example.com/a", 1, "Plane downed"), (3, "https://example.com/b", 1, None),
            (4, "https://xn--bcher-kva.example/x", 3, None)]
        assert _rows(Appearance, "id", "article_id", "claimant_id", "stance") == [
            (1, 1, 1, "asserts"), (3, 3, None, "denies"), (4, 4, None, "reports")]
        claim = db.session.get(Claim, 1)
        assert claim.claimant_id == 1
        # One assertion against one denial now: as evenly split as sources can be.
        assert (claim.status, claim.sources_disagree, claim.contest_score) == ("contested", True, 1.0)


def test_an_upgraded_database_finds_what_it_stored_in_another_spelling(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0012_verdict_signatures")
        with db.engine.begin() as connection:
            for statement in ROWS[:3]:
                connection.execute(text(statement))
        flask_migrate.upgrade()
        claims.create_claim({"text": "The plane was shot down by Syrian air defences.", "claimant": {"name": "REUTERS"},
                             "appearances": [{"url": "https://www.Example.com/a?utm_medium=social"},
                                             {"url": "https://BÜCHER.example/x/"}]})
        assert db.session.scalar(select(func.count(Claimant.id))) == 1
        assert db.session.scalar(select(func.count(Article.id))) == 3
        assert db.session.scalar(select(func.count(Outlet.id))) == 2
