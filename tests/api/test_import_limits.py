"""POST /claimreviews/import does bounded work: capped, one review per transaction, all or nothing."""
import json
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from factcheck.services.exchange import claimreview_import
from tests.api.helpers import assert_problem
from tests.api.test_claimreview import IMPORT, import_, review
from tests.conftest import bearer


def reviews(n: int) -> list[dict]:
    return [review(url=f"https://www.politifact.com/factchecks/{i}/",
                   text=f"Claim number {i} about the airstrike on Latakia was announced in advance.")
            for i in range(n)]


def stored_reviews(client) -> list[str]:
    return [item["url"] for item in client.get("/api/v1/claimreviews").json["dataFeedElement"]]


def _says_what_to_do(problem: dict) -> None:
    assert "split it" in problem["detail"] and "flask --app app import-claimreview FILE" in problem["detail"]


def test_more_reviews_than_the_cap_is_413_and_imports_none(configured_app):
    capped = configured_app(API_IMPORT_MAX_ITEMS=3)
    client = capped.test_client()
    with capped.app_context():
        auth = bearer("factchecker")
    problem = assert_problem(client.post(IMPORT, json=reviews(4), headers=auth), 413)
    _says_what_to_do(problem)
    assert "4 reviews, at most 3" in problem["detail"]
    assert stored_reviews(client) == []
    assert import_(client, auth, reviews(3))["created"] == 3


def test_more_bytes_than_the_cap_is_413_and_imports_none(configured_app):
    capped = configured_app(API_IMPORT_MAX_BYTES=2_000)
    client = capped.test_client()
    with capped.app_context():
        auth = bearer("factchecker")
    body = json.dumps(reviews(3))
    assert len(body) > 2_000
    problem = assert_problem(client.post(IMPORT, data=body, headers=auth, content_type="application/json"), 413)
    _says_what_to_do(problem)
    assert stored_reviews(client) == []
    assert import_(client, auth, reviews(1))["created"] == 1


def test_the_caps_default_to_settings_a_worker_can_finish(app):
    assert app.config["API_IMPORT_MAX_ITEMS"] == 250
    assert app.config["API_IMPORT_MAX_BYTES"] == 512 * 1024


@pytest.fixture
def outsider(database_url):
    """Looks at the database from another connection while an import runs: what it sees is
    committed; on SQLite it also tries to take the write lock, without waiting."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database, timeout=0, isolation_level=None)

        def look() -> int:
            connection.execute("BEGIN IMMEDIATE")  # fails at once if a request holds the lock
            connection.execute("ROLLBACK")
            return connection.execute("SELECT count(*) FROM verdicts").fetchone()[0]
        yield look
        connection.close()
        return
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        yield lambda: connection.execute(sa.text("SELECT count(*) FROM verdicts")).scalar_one()
        connection.rollback()
    engine.dispose()


@pytest.mark.parametrize("key", [None, "import-1"])
def test_each_review_commits_on_its_own_with_or_without_an_idempotency_key(client, auth, monkeypatch,
                                                                          outsider, key):
    seen = []
    original = claimreview_import.import_review

    def observed(item, actor):
        seen.append(outsider())
        return original(item, actor)

    monkeypatch.setattr(claimreview_import, "import_review", observed)
    headers = {**auth, **({"Idempotency-Key": key} if key else {})}
    first = client.post(IMPORT, json=reviews(3), headers=headers)
    assert first.status_code == 200 and first.json["created"] == 3
    assert seen == [0, 1, 2]  # each review committed, and the write lock free, before the next
    # Idempotent by review url: a retry imports nothing twice, and says so per review.
    again = client.post(IMPORT, json=reviews(3), headers=headers)
    assert again.json == {"created": 0, "updated": 0, "unchanged": 3, "rejected": [], "warnings": []}
    assert "Idempotent-Replayed" not in again.headers


def test_the_spec_says_the_import_takes_no_idempotency_key(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/claimreviews/import"]["post"]
    assert "Idempotency-Key" not in [p["name"] for p in operation.get("parameters", [])]
    assert "idempotent by review url" in operation["description"]
    assert {"413", "415"} <= set(operation["responses"])


def test_a_request_that_dies_midway_leaves_whole_reviews_only(client, auth, monkeypatch):
    """As a worker killed mid-import would: the reviews done are whole, the one under way
    left nothing, and sending the document again reports each."""
    original = claimreview_import.enqueue_events
    calls = []

    def dying(session, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second review, after its claim and verdict were written
            raise RuntimeError("worker killed")
        return original(session, *args, **kwargs)

    monkeypatch.setattr(claimreview_import, "enqueue_events", dying)
    documents = reviews(3)
    assert client.post(IMPORT, json=documents, headers=auth).status_code == 500
    assert stored_reviews(client) == [documents[0]["url"]]
    texts = [claim["text"] for claim in client.get("/api/v1/claims").json["items"]]
    assert texts == [documents[0]["claimReviewed"]]

    monkeypatch.setattr(claimreview_import, "enqueue_events", original)
    assert import_(client, auth, documents) == {"created": 2, "updated": 0, "unchanged": 1, "rejected": [], "warnings": []}


def test_a_reviews_numbers_off_their_scale_give_way_to_its_label(client, auth):
    """Numbers off their own scale are dropped with a warning when a label rates the review
    (20 Minutes publishes -1/-1/-1 beside "really_false"); without a label the review is rejected alone."""
    documents = reviews(4)
    documents[1]["reviewRating"].update(ratingValue="7", bestRating="5", worstRating="1")
    documents[2]["reviewRating"].update(ratingValue="-1", bestRating="-1", worstRating="-1", alternateName="Faux")
    documents[3]["reviewRating"] = {"@type": "Rating", "ratingValue": "3", "bestRating": "1", "worstRating": "5"}
    summary = import_(client, auth, documents)
    assert summary["created"] == 3
    assert [(item["index"], list(item["errors"])) for item in summary["rejected"]] == [(3, ["reviewRating"])]
    assert "bestRating" in summary["rejected"][0]["errors"]["reviewRating"]
    warned = {item["index"]: set(item["warnings"]) for item in summary["warnings"]}
    assert warned == {1: {"reviewRating.ratingValue", "reviewRating.bestRating", "reviewRating.worstRating"},
                      2: {"reviewRating.ratingValue", "reviewRating.bestRating", "reviewRating.worstRating"}}
    labels = sorted(item["reviewRating"]["alternateName"]
                    for item in client.get("/api/v1/claimreviews").json["dataFeedElement"])
    assert labels == ["Faux", "Mostly True", "Mostly True"]
