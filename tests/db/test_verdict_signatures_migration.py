"""Verdicts stored before verdicts were tied to their newsroom's site survive the upgrade, each
speaking for whom it may: withdrawn drafts stay private, signatures with another site become
external reviews, imports are marked with their importer."""
import flask_migrate
from sqlalchemy import select, text

from factcheck.extensions import db
from factcheck.models import Verdict

NOW = "2026-01-02 03:04:05"
ROWS = [
    ("INSERT INTO organisations (id, name, site, created_at) VALUES "
     f"(1, 'Desk A', 'https://www.Desk-A.example.org/', '{NOW}'), (2, 'Desk B', 'desk-b.example.org', '{NOW}'),"
     f" (3, 'Siteless desk', NULL, '{NOW}')"),
    ("INSERT INTO publishers (id, name, site) VALUES (1, 'Desk A', 'desk-a.example.org'), "
     "(2, 'Snopes', 'snopes.com')"),
    ("INSERT INTO claims (id, text, language, created_at, status, verdicts_disagree, sources_disagree, text_key, "
     f"link_text) VALUES (1, 'A claim', 'en', '{NOW}', 'checked', false, false, 'k', 'a claim')"),
    # (id, publisher, organisation, status): A's own; B signing as A; A's withdrawn draft; A's
    # draft published later; the siteless desk's; an import by B; one the operator imported.
    ("INSERT INTO verdicts (id, claim_id, publisher_id, organisation_id, status, rating, category, review_date, "
     f"created_at, updated_at) VALUES (1, 1, 1, 1, 'published', 'True', 'true', '{NOW}', '{NOW}', '{NOW}'), "
     f"(2, 1, 1, 2, 'published', 'False', 'false', '{NOW}', '{NOW}', '{NOW}'), "
     f"(3, 1, 1, 1, 'withdrawn', 'Secret', 'other', '{NOW}', '{NOW}', '{NOW}'), "
     f"(4, 1, 1, 1, 'withdrawn', 'Mixed', 'mixed', '{NOW}', '{NOW}', '{NOW}'), "
     f"(5, 1, 2, 3, 'published', 'True', 'true', '{NOW}', '{NOW}', '{NOW}'), "
     f"(6, 1, 2, NULL, 'published', 'True', 'true', '{NOW}', '{NOW}', '{NOW}'), "
     f"(7, 1, 2, NULL, 'published', 'False', 'false', '{NOW}', '{NOW}', '{NOW}')"),
    ("INSERT INTO audit_entries (at, organisation_id, action, entity, entity_id, private_to) VALUES "
     f"('{NOW}', 1, 'verdict.submitted', 'verdict', 1, NULL), ('{NOW}', 2, 'verdict.submitted', 'verdict', 2, NULL), "
     f"('{NOW}', 1, 'verdict.submitted', 'verdict', 3, 1), ('{NOW}', 1, 'verdict.withdrawn', 'verdict', 3, NULL), "
     f"('{NOW}', 1, 'verdict.submitted', 'verdict', 4, 1), ('2026-01-03 00:00:00', 1, 'verdict.published', "
     f"'verdict', 4, NULL), ('{NOW}', 3, 'verdict.submitted', 'verdict', 5, NULL), "
     f"('{NOW}', 2, 'verdict.imported', 'verdict', 6, NULL), ('{NOW}', NULL, 'verdict.imported', 'verdict', 7, NULL)"),
]


def test_stored_verdicts_speak_for_whom_they_may_after_the_upgrade(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="0011_language_source")
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        flask_migrate.upgrade()

        stored = {v.id: v for v in db.session.scalars(select(Verdict))}
        signed = {i: (v.organisation_id, v.imported, v.imported_by_id) for i, v in stored.items()}
        assert signed == {1: (1, False, None), 2: (None, True, 2), 3: (1, False, None), 4: (1, False, None),
                          5: (None, True, 3), 6: (None, True, 2), 7: (None, True, None)}
        published = {i: v.published_at and v.published_at.isoformat() for i, v in stored.items()}
        assert published[3] is None  # a withdrawn draft: still its newsroom's alone
        assert published[4] == "2026-01-03T00:00:00+00:00"  # when it was published, not drafted
        assert all(published[i] == "2026-01-02T03:04:05+00:00" for i in (1, 2, 5, 6, 7))
