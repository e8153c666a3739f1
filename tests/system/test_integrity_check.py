"""The integrity check passes a sound database and names what is broken in a damaged one."""
import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.services.claims import records as claims
from factcheck.services.verdicts import reviews as verdicts
from tests.conftest import make_app

pytestmark = pytest.mark.system

TEXT = "Fifteen Russian crew members were killed when Syrian air defences shot down the plane."


def test_integrity_check_finds_damage(system_db):
    app = make_app(system_db.url)
    with app.app_context():
        first = claims.create_claim({"text": TEXT})
        # Another spacing of the text (the text itself is the first claim): auto-confirmed, one group.
        second = claims.create_claim({"text": TEXT.replace(" ", "  ", 1)})
        verdicts.submit_verdict(second, {"publisher": {"name": "Demo", "site": "demo.example.org"},
                                         "rating": "False"})
        db.engine.dispose()
    assert system_db.problems() == []

    with system_db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE claims SET group_id = id"))
        connection.execute(sa.text("UPDATE match_terms SET df = df + 1 WHERE id = (SELECT min(id) FROM match_terms)"))
        connection.execute(sa.text("DELETE FROM claim_terms WHERE claim_id = :id"), {"id": first})
        connection.execute(sa.text("UPDATE match_stats SET claims = 3"))
    problems = "\n".join(system_db.problems())
    assert f"claim {second} is in group {second}; its confirmed links make it {first}" in problems
    # Split off, the first claim still shows the verdict only its former group had.
    assert f"claim {first} (group {first}) shows {{'status': 'checked'" in problems
    assert f"claim {first}: n_terms" in problems and "and 0 postings" in problems
    assert "df 2 but 1 postings" in problems
    assert "match_stats (claims, terms)" in problems
