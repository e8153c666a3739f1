"""Many clients at once against real gunicorn: no 5xx, nothing lost or doubled, counts add up."""
import threading
import uuid

import pytest
import sqlalchemy as sa

from factcheck.models import Verdict
from tests.system.integrity import stored_writes
from tests.system.load import Client, Ledger, create_claim, decide_links, run_threads, submit_verdict, writers

pytestmark = pytest.mark.system

ROUNDS = 5  # claims per writing desk
RETRIED_KEYS = 4  # Idempotency-Keys each sent several times at once, then once more
RETRIERS = 3  # concurrent sends of each
RACES = 5  # versions of one verdict that several clients try to replace at once
RACERS = 4
DECIDERS = 2  # clients confirming and rejecting links meanwhile
LINK_DECISIONS = 15


def retry_with_one_key(client: Client, ledger: Ledger, text: str) -> set[int]:
    """The same POST with the same key sent several times at once, then once more after:
    one claim, and every 2xx names it."""
    key, barrier, replies = uuid.uuid4().hex, threading.Barrier(RETRIERS), []

    def send():
        barrier.wait(10)
        replies.append(create_claim(client, ledger, text, key, kind="retried claim"))

    run_threads([send] * RETRIERS)
    assert {r.status for r in replies} <= {201, 409}, [(r.status, r.body) for r in replies]
    again = create_claim(client, ledger, text, key, kind="retried claim")
    assert again.status == 201 and again.headers.get("idempotent-replayed") == "true", again
    return {r.body["id"] for r in [*replies, again] if r.status == 201}


def patch_at_once(clients: list[Client], ledger: Ledger, url: str, etag: str, race: int) -> list:
    """Every client sends a PATCH with the same If-Match at the same moment (each a real
    change: a PATCH that changes nothing succeeds without a new version)."""
    barrier, replies = threading.Barrier(len(clients)), []

    def patch(client, n):
        barrier.wait(10)
        replies.append(ledger.record("patch", client.request(
            "PATCH", url, {"explanation": f"race {race}: client {n} was here"}, {"If-Match": etag})))

    run_threads([lambda c=c, n=n: patch(c, n) for n, c in enumerate(clients)])
    return replies


def race_on_verdict(clients: list[Client], ledger: Ledger, verdict_id: int) -> list[int]:
    """Each round, every client PATCHes the verdict with the same If-Match: one 200, the
    rest 412. Returns the 200s' new versions."""
    url, won = f"/api/v1/verdicts/{verdict_id}", []
    for race in range(RACES):
        replies = patch_at_once(clients, ledger, url, clients[0].request("GET", url).headers["etag"], race)
        assert sorted(r.status for r in replies) == [200] + [412] * (len(clients) - 1), race
        won += [r.body["version"] for r in replies if r.status == 200]
    return won


def test_concurrent_clients_under_gunicorn(system_db, servers):
    server = servers.start()
    clients = [Client(server.base_url, token) for token in system_db.tokens]
    ledger = Ledger()
    target = create_claim(clients[0], ledger, "The strike on Latakia was announced in advance").body["id"]
    raced = submit_verdict(clients[0], ledger, target, "Mostly True").body["id"]

    keyed_ids, won = [], []
    load = writers(clients, ledger, ROUNDS, target)
    jobs = [lambda k=k: keyed_ids.append(retry_with_one_key(
        clients[k], ledger, f"Retried claim {k}: the pilots were warned {uuid.uuid4().hex[:6]}"))
        for k in range(RETRIED_KEYS)]
    jobs.append(lambda: won.extend(race_on_verdict(clients[-RACERS:], ledger, raced)))
    jobs += [lambda c=c: decide_links(c, ledger, LINK_DECISIONS) for c in clients[:DECIDERS]]
    run_threads(jobs)
    load.join()

    assert ledger.server_errors == []
    allowed = {"claim": {200, 201}, "verdict": {201}, "retried claim": {201, 409}, "patch": {200, 412},
               "links": {200}, "link decision": {200, 412}}
    assert all(status in allowed[kind] for kind, status in ledger.statuses), ledger.statuses
    assert "database is locked" not in servers.log()
    assert "Traceback" not in servers.log()
    assert all(len(ids) == 1 for ids in keyed_ids), keyed_ids

    system_db.wait_until_linked()
    stored_claims, stored_verdicts = stored_writes(system_db.engine)
    with system_db.engine.connect() as connection:
        version = connection.scalar(sa.select(Verdict.version).where(Verdict.id == raced))
    # Every acknowledged write is there, once, as sent; nothing else was written.
    assert stored_claims == ledger.claims
    assert stored_verdicts == ledger.verdicts
    # One claim per text: a shared text sent again is answered with the claim stored with it.
    assert len(set(ledger.claims.values())) == len(ledger.claims) > len(clients) * ROUNDS // 2
    assert version == 1 + len(won) == 1 + RACES and sorted(won) == list(range(2, 2 + RACES))
    assert system_db.problems() == []
