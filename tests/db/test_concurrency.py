"""Writers at once, as several gunicorn workers would be: nothing fails, nothing is lost."""
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Claim, ClaimTerm, MatchStats, Verdict
from factcheck.services.claims import records as claims
from factcheck.services.links import linker as linking
from tests.api.helpers import CLAIMS, create_claim, publisher_auth, verdict
from tests.conftest import bearer
from tests.lock_waits import GIVE_UP_S, LockWaits, backend_pid

WRITERS = 4
CLAIMS_EACH = 6
BASE = "Russia will deliver S-300 air defence systems to Syria within two weeks, officials said"


def _write(app, auth: dict, writer: int, target_id: int) -> list[int]:
    client = app.test_client()
    statuses = []
    for n in range(CLAIMS_EACH):
        # Similar texts, so the writers upsert the same terms and link to each other's claims.
        response = client.post(CLAIMS, json={"text": f"{BASE} ({writer}-{n})"}, headers=auth)
        statuses.append(response.status_code)
        response = client.post(f"{CLAIMS}/{target_id}/verdicts", headers=auth,
                               json=verdict("Mostly False" if n % 2 else "Mostly True",
                                            site=f"desk{writer}.example.org"))
        statuses.append(response.status_code)
    return statuses


def test_concurrent_writers_all_succeed_and_add_up(app, client, auth):
    target = create_claim(client, auth, "The S-300 deliveries to Syria were announced by Vladimir Putin.")
    with ThreadPoolExecutor(WRITERS) as pool:
        # Each writer a newsroom of its own, publishing under its own site.
        desks = [publisher_auth(f"desk{writer}.example.org") for writer in range(WRITERS)]
        results = list(pool.map(lambda w: _write(app, desks[w], w, target["id"]), range(WRITERS)))

    assert all(status == 201 for statuses in results for status in statuses), results
    # A claim whose writer found the linker at work is linked by the background linker.
    assert linking.background(app).join(GIVE_UP_S), "the background linker is still at work"
    db.session.remove()
    assert db.session.scalar(select(func.count(Claim.id))) == 1 + WRITERS * CLAIMS_EACH
    assert db.session.scalar(select(func.count(Verdict.id))) == WRITERS * CLAIMS_EACH
    stats = db.session.scalars(select(MatchStats)).one()
    assert stats.claims == 1 + WRITERS * CLAIMS_EACH
    assert db.session.scalar(select(func.count(func.distinct(ClaimTerm.claim_id)))) == stats.claims
    # Each desk's latest verdict is "Mostly False" (its last n is odd): the summary, written
    # under the claim's lock, saw every verdict.
    summary = client.get(f"{CLAIMS}/{target['id']}").json
    assert summary["consensus"] == {"category": "false", "score": 0.25}
    assert len(summary["verdicts"]) == WRITERS * CLAIMS_EACH


def _post(app, auth, text: str, url: str):
    return app.test_client().post(CLAIMS, json={"text": text, "appearances": [{"url": url}]}, headers=auth)


def test_two_writers_of_one_new_text_store_one_claim(app, monkeypatch):
    """The second writer looks the text up while the first has stored it, uncommitted: it
    waits for the first (for the text's lock on PostgreSQL, the write lock on SQLite)."""
    first_desk, second_desk = bearer("factchecker", "Desk A"), bearer("factchecker", "Desk B")
    lock_waits = LockWaits(db.engine, monkeypatch)
    stored, go_on = threading.Event(), threading.Event()
    first_backend = []
    store_claims = claims.store_claims

    def store_then_wait(*args, **kwargs):
        result = store_claims(*args, **kwargs)
        first_backend.append(backend_pid(db.session.connection()))
        stored.set()
        assert go_on.wait(GIVE_UP_S)
        return result

    monkeypatch.setattr(claims, "store_claims", store_then_wait)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(_post, app, first_desk, BASE, "https://desk-a.example.org/s300")
        assert stored.wait(GIVE_UP_S)
        monkeypatch.setattr(claims, "store_claims", store_claims)
        second = pool.submit(_post, app, second_desk, BASE, "http://www.desk-b.example.org/s300/")
        lock_waits.until_blocked_by(first_backend[0])
        assert not second.done()
        go_on.set()
        first, second = first.result(GIVE_UP_S), second.result(GIVE_UP_S)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json["id"] == first.json["id"]
    assert [a["url"] for a in second.json["appearances"]] == [
        "https://desk-a.example.org/s300", "https://desk-b.example.org/s300"]
    db.session.remove()
    assert db.session.scalar(select(func.count(Claim.id))) == 1
