"""Two app instances on one database: each takes in the other's vectors; embed-claims fills the gaps."""
import pytest
from sqlalchemy import func, insert, select

from factcheck.extensions import db
from factcheck.models import ClaimVector
from factcheck.services.links import dense, embeddings
from tests.api.helpers import create_claim, match
from tests.conftest import bearer, make_app
from tests.semantic.conftest import MODEL
from tests.semantic.test_matching import REWORDED, S300, STORE


def test_a_worker_takes_in_another_workers_vectors_after_its_refresh_interval(client, database_url):
    create_claim(client, bearer("factchecker"), "Israel notified Russia in advance of its airstrike on Latakia.")
    patient = make_app(database_url, SEMANTIC_MODEL=MODEL, SEMANTIC_REFRESH_SECONDS=3600)
    eager = make_app(database_url, SEMANTIC_MODEL=MODEL, SEMANTIC_REFRESH_SECONDS=0)
    for other in (patient, eager):  # each has read the vectors stored so far
        with other.app_context():
            assert match(other.test_client(), REWORDED)
    s300 = create_claim(client, bearer("factchecker"), S300)["id"]  # stored through this app
    with patient.app_context():  # within its interval it has not looked again...
        assert s300 not in {item["claim"]["id"] for item in match(patient.test_client(), REWORDED)}
    with eager.app_context():  # ... an instance whose interval has passed has
        assert match(eager.test_client(), REWORDED)[0]["claim"]["id"] == s300


def test_a_starting_worker_reads_every_vector_page_by_page(client, database_url, monkeypatch):
    ids = [create_claim(client, bearer("factchecker"), text)["id"] for text in STORE]
    # Another model's vectors after them: pages of sequence numbers that hold none of this model's.
    db.session.execute(insert(ClaimVector), [{"claim_id": claim_id, "model": "an-older-model", "vector": b"\0" * 16}
                                             for claim_id in ids])
    db.session.commit()
    last = create_claim(client, bearer("factchecker"), "Fifteen Russian servicemen died when the Il-20 was downed.")
    monkeypatch.setattr(embeddings, "_PAGE", 2)
    starting = make_app(database_url, SEMANTIC_MODEL=MODEL)
    with starting.app_context():
        embeddings.warm_up()
        store = embeddings.semantic().store
        assert len(store) == len(STORE) + 1
        assert store.loaded_upto == db.session.scalar(select(func.max(ClaimVector.id)))
        assert match(starting.test_client(), REWORDED)[0]["claim"]["id"] == ids[STORE.index(S300)]
        assert store.cosine(last["id"], last["id"]) == pytest.approx(1.0, abs=1e-5)


def count(model: str | None = None) -> int:
    query = select(func.count()).select_from(ClaimVector)
    return db.session.scalar(query.where(ClaimVector.model == model) if model else query)


def test_embed_claims_embeds_what_was_stored_without_the_stage(app, database_url):
    words_alone = make_app(database_url, SEMANTIC_MODEL="off")
    with words_alone.app_context():
        ids = [create_claim(words_alone.test_client(), bearer("factchecker"), text)["id"]
               for text in (S300, "Israel notified Russia in advance of its airstrike on Latakia.")]
    assert count() == 0
    db.session.execute(insert(ClaimVector), [{"claim_id": ids[0], "model": "an-older-model", "vector": b"\0" * 16}])
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["embed-claims", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "Embedded 2 claims." in result.output
    assert count(MODEL) == 2 and count("an-older-model") == 1  # the old vectors serve until pruned
    assert match(app.test_client(), REWORDED)[0]["claim"]["id"] == ids[0]

    again = app.test_cli_runner().invoke(args=["embed-claims", "--prune"])
    assert "Embedded 0 claims." in again.output and "Deleted 1 vectors of other models." in again.output
    assert count() == 2


def test_embed_claims_says_when_the_stage_is_off(database_url, app):
    words_alone = make_app(database_url, SEMANTIC_MODEL="off")
    with words_alone.app_context():  # the CLI runs in the app context it finds
        result = words_alone.test_cli_runner().invoke(args=["embed-claims"])
    assert result.exit_code == 1
    assert "The semantic stage is off" in result.output


def test_the_raw_texts_of_more_candidates_than_a_statement_has_parameters(client):
    """The link decision reads its candidates' raw texts: a batch's, in a million-claim store,
    are more ids than PostgreSQL's 65,535 parameters."""
    stored = create_claim(client, bearer("factchecker"), S300)["id"]
    texts = dense.dense_index(db.session(), linking=True).texts([stored, *range(10**6, 10**6 + 70_000)])
    assert texts == {stored: S300}
