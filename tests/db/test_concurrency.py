"""Writers at once, as several gunicorn workers would be: nothing fails, nothing is lost."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Claim, ClaimTerm, MatchStats, Verdict
from tests.api.helpers import CLAIMS, create_claim, publisher_auth, verdict

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
