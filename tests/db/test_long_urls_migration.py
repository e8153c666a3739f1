"""Upgrading a database stored before long urls: each article gets its key, and articles whose
urls now differ only by a platform's tracking become one."""
import flask_migrate
import pytest
from sqlalchemy import func, select, text

from factcheck.extensions import db
from factcheck.identity import url_key
from factcheck.models import Appearance, Article, Claim
from factcheck.services.claims import records as claims
from tests.db.test_migrations import _drift

BEFORE = "0021_link_decisions"
POST = "https://x.com/someone/status/1266839666889809923"
STORY = "https://m.facebook.com/story.php?id=2&story_fbid=1"
# Ids from 101: what the application stores afterwards is numbered from 1 (PostgreSQL's
# sequences do not see ids given explicitly).
ROWS = [
    ("INSERT INTO outlets (id, name, domain) VALUES (101, 'X', 'x.com'), (102, 'Facebook', 'm.facebook.com'),"
     " (103, 'YouTube', 'youtu.be')"),
    (f"INSERT INTO articles (id, url, outlet_id, title) VALUES (101, '{POST}?s=20&t=Abc', 101, 'A post'),"
     f" (102, '{POST}', 101, NULL), (103, 'https://youtu.be/jA8iEODBe5Q?si=Yx1&t=1368', 103, NULL),"
     f" (104, '{STORY}&__tn__=R', 102, NULL), (105, '{STORY}', 102, NULL)"),
    # 104 and 105, one story now, were each posted for analysis: a text is kept per article.
    ("INSERT INTO article_texts (article_id, text, language, scorer, attributed, posted_at, updated_at, updates)"
     " VALUES (104, 'Four', 'en', 's', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0),"
     " (105, 'Five', 'en', 's', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)"),
    ("INSERT INTO claims (id, text, text_key, language, created_at, group_id, link_text, status, verdicts_disagree,"
     " sources_disagree) VALUES (101, 'The post says so.', 'k', 'en', CURRENT_TIMESTAMP, 101, 'x', 'unchecked',"
     " false, false)"),
    ("INSERT INTO appearances (id, claim_id, article_id, stance, created_at) VALUES"
     " (101, 101, 101, 'asserts', CURRENT_TIMESTAMP), (102, 101, 102, 'asserts', CURRENT_TIMESTAMP),"
     " (103, 101, 103, 'reports', CURRENT_TIMESTAMP)"),
]


def _upgraded_from_before(app) -> None:
    flask_migrate.upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    flask_migrate.upgrade()
    assert _drift(app) == []


def test_upgrade_keys_every_article_and_merges_what_tracking_told_apart(empty_app):
    with empty_app.app_context():
        _upgraded_from_before(empty_app)
        stored = db.session.execute(select(Article.id, Article.url, Article.title).order_by(Article.id)).all()
        assert stored == [(102, POST, "A post"), (103, "https://youtu.be/jA8iEODBe5Q?t=1368", None),
                          (104, f"{STORY}&__tn__=R", None), (105, STORY, None)]
        assert all(article.url_key == url_key(article.url) for article in db.session.scalars(select(Article)))
        appearances = db.session.execute(select(Appearance.id, Appearance.article_id).order_by(Appearance.id)).all()
        assert appearances == [(101, 102), (103, 103)]
        # Found again by their keys, however spelt.
        claims.create_claim({"text": "Another claim on the post.",
                             "appearances": [{"url": f"{POST}?s=46"}, {"url": "https://youtu.be/jA8iEODBe5Q?t=1368"}]})
        assert db.session.scalar(select(func.count(Article.id))) == 4
        assert db.session.scalar(select(func.count(Claim.id))) == 2


def test_downgrade_keeps_urls_unique_and_refuses_to_cut_long_ones(empty_app, capfd):
    with empty_app.app_context():
        _upgraded_from_before(empty_app)
        flask_migrate.downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            urls = connection.execute(text("SELECT url FROM articles ORDER BY id")).scalars().all()
        assert urls == [POST, "https://youtu.be/jA8iEODBe5Q?t=1368", f"{STORY}&__tn__=R", STORY]
        flask_migrate.upgrade()
        assert _drift(empty_app) == []

        claims.create_claim({"text": "A claim made in a very long post.",
                             "appearances": [{"url": "https://example.com/p?q=" + "x" * 3000}]})
        db.session.remove()
        with pytest.raises(SystemExit):  # as flask db downgrade exits
            flask_migrate.downgrade(revision=BEFORE)
        assert "urls longer than 2048 characters are stored" in capfd.readouterr().err
        db.session.remove()
        flask_migrate.upgrade()  # the later revisions, downgraded before 0022 refused, come back
        assert _drift(empty_app) == []
        assert db.session.scalar(select(func.max(func.length(Article.url)))) == 3024
