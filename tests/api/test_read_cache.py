"""Kept answers (storage.read_cache): served while the database is unchanged, never after."""
import pytest
import sqlalchemy as sa
from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.claims import records as claim_service
from factcheck.storage.uow import transaction
from tests.api.helpers import CLAIMS, MATCH, add_verdict, create_claim, statements_for
from tests.conftest import bearer

VERSION_STATEMENTS = {"PRAGMA data_version", "SELECT pg_current_snapshot()::text"}


def read(client, url: str, **kwargs) -> tuple[list[str], dict]:
    """The statements and body of a GET made as a gunicorn request makes it: on a fresh session."""
    return statements_for(client, "GET", url, **kwargs)


def test_a_read_again_unchanged_sends_only_the_version_statement(client, auth):
    claim = create_claim(client, auth, appearances=[{"url": "https://a.example.com/1", "stance": "asserts"}])
    first, first_body = read(client, CLAIMS)
    again, again_body = read(client, CLAIMS)
    assert len(first) == 4 and first[0] in VERSION_STATEMENTS
    assert again == first[:1]
    assert again_body == first_body
    # POST /claims answered with the document it read after its commit: that answer is kept.
    statements, body = read(client, f"{CLAIMS}/{claim['id']}")
    assert statements == first[:1]
    assert body == claim
    # A weak match: a strong one counts an ask about its claim, a write (services.claims.demand).
    asked, answer = statements_for(client, "POST", MATCH, json={"text": "cheese", "limit": 3})
    asked_again, answer_again = statements_for(client, "POST", MATCH, json={"text": "cheese", "limit": 3})
    assert len(asked) > 1 and asked_again == asked[:1] and answer_again == answer
    assert answer["items"][0]["claim"]["id"] == claim["id"]


def test_a_write_through_the_api_is_read_at_once(client, auth):
    claim_id = create_claim(client, auth)["id"]
    _, before = read(client, f"{CLAIMS}/{claim_id}")
    _, contested_before = read(client, f"{CLAIMS}/contested")
    add_verdict(client, claim_id, "True", site="one.example.org")
    add_verdict(client, claim_id, "False", site="two.example.org")
    _, after = read(client, f"{CLAIMS}/{claim_id}")
    _, contested_after = read(client, f"{CLAIMS}/contested")
    assert before["verdicts"] == [] and len(after["verdicts"]) == 2
    assert contested_before["items"] == []
    assert [c["id"] for c in contested_after["items"]] == [claim_id]


def test_a_write_by_another_program_is_read_at_once(client, auth, database_url):
    """As when an operator edits a row with psql: the version is the database's own."""
    claim_id = create_claim(client, auth, text="The first wording.")["id"]
    assert read(client, f"{CLAIMS}/{claim_id}")[1]["text"] == "The first wording."
    assert read(client, f"{CLAIMS}/{claim_id}")[1]["text"] == "The first wording."  # kept
    other = sa.create_engine(database_url)
    try:
        with other.begin() as connection:
            connection.execute(update(Claim).where(Claim.id == claim_id).values(text="An operator's fix."))
    finally:
        other.dispose()
    assert read(client, f"{CLAIMS}/{claim_id}")[1]["text"] == "An operator's fix."


def test_a_read_inside_a_transaction_sees_its_writes_and_is_not_kept(client, auth):
    claim_id = create_claim(client, auth, text="The committed wording.")["id"]
    read(client, f"{CLAIMS}/{claim_id}")  # kept at this version
    db.session.remove()
    with pytest.raises(RuntimeError), transaction() as session:
        session.execute(update(Claim).where(Claim.id == claim_id).values(text="An uncommitted wording."))
        assert claim_service.get_claim(claim_id)["text"] == "An uncommitted wording."
        raise RuntimeError("roll it back")
    assert read(client, f"{CLAIMS}/{claim_id}")[1]["text"] == "The committed wording."


def test_a_size_of_0_keeps_nothing(configured_app):
    app = configured_app(READ_CACHE_SIZE=0)
    with app.app_context():
        client = app.test_client()
        create_claim(client, bearer("factchecker"))
        first, _ = read(client, CLAIMS)
        again, _ = read(client, CLAIMS)
        assert len(first) == len(again) == 3
        assert not VERSION_STATEMENTS & set(first + again)


def test_when_full_the_oldest_answer_is_dropped(configured_app):
    app = configured_app(READ_CACHE_SIZE=2)
    with app.app_context():
        client = app.test_client()
        auth = bearer("factchecker")
        a, b, c = (create_claim(client, auth, text=f"Claim {word} about {topic}.")["id"]
                   for word, topic in (("alpha", "ferries"), ("bravo", "pensions"), ("charlie", "tariffs")))
        for claim_id in (a, b, c):
            assert len(read(client, f"{CLAIMS}/{claim_id}")[0]) == 4
        assert len(read(client, f"{CLAIMS}/{c}")[0]) == 1
        assert len(read(client, f"{CLAIMS}/{a}")[0]) == 4  # dropped when c was kept
        # A page of 3 documents is more than the whole cache holds: never kept.
        assert [len(read(client, CLAIMS)[0]) for _ in range(2)] == [4, 4]
        assert len(read(client, f"{CLAIMS}/{a}")[0]) == 1  # and it dropped nothing
