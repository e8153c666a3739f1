"""Claims written at once by several writers: each stored once, linked after its commit,
near-duplicates posted at the same moment joined, and nothing lost while linking waits."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink
from factcheck.services.links import linker as linking
from factcheck.services.links.groups import join_linked
from factcheck.storage.uow import transaction
from tests.api.helpers import CLAIMS, create_claim, get_claim
from tests.conftest import bearer
from tests.lock_waits import GIVE_UP_S
from tests.system.integrity import integrity_problems, stored_writes

WRITERS = 4
CLAIMS_EACH = 6
# Pairs of wordings of one claim (one word apart: auto-confirmed), each pair's two wordings
# posted by two newsrooms at the same moment.
PAIRS = [
    ("Russian air defence systems were delivered to Syria within two weeks of the downing",
     "Reportedly Russian air defence systems were delivered to Syria within two weeks of the downing"),
    ("The Israeli air force warned the Russian command only one minute before the strike on Latakia",
     "The Israeli air force warned the Russian command only one minute before its strike on Latakia"),
    ("Syrian missiles shot down the Russian reconnaissance plane while aiming at Israeli fighter jets",
     "Syrian missiles shot down the Russian reconnaissance plane while they were aiming at Israeli fighter jets"),
]


def _post_at_once(app, jobs: list[tuple[dict, str]]) -> list:
    """POST /claims for each (headers, text), all released at the same moment."""
    barrier = threading.Barrier(len(jobs))

    def post(job):
        headers, text = job
        client = app.test_client()
        barrier.wait(10)
        return text, client.post(CLAIMS, json={"text": text}, headers=headers)

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(post, jobs))


def test_concurrent_writers_store_each_claim_once_with_exact_statistics(app):
    newsrooms = [bearer("factchecker", "Newsroom A"), bearer("factchecker", "Newsroom B")]
    jobs = [(newsrooms[w % 2], f"{PAIRS[n % 3][0]} (desk {w}, report {n})")
            for w in range(WRITERS) for n in range(CLAIMS_EACH)]
    replies = _post_at_once(app, jobs)

    assert [reply.status_code for _, reply in replies] == [201] * len(jobs)
    acknowledged = {reply.json["id"]: text for text, reply in replies}
    assert len(acknowledged) == len(jobs)
    db.session.remove()
    assert stored_writes(db.engine)[0] == acknowledged
    # What the writers that found the lock taken left, their background linker links. The
    # postings, document frequencies and corpus figures then agree with the claims exactly.
    assert linking.background(app).join(30)
    assert linking.pending_ids() == []
    assert integrity_problems(db.engine) == []


def test_near_duplicates_posted_at_the_same_moment_end_up_linked(app):
    newsrooms = [bearer("factchecker", "Newsroom A"), bearer("factchecker", "Newsroom B")]
    replies = _post_at_once(app, [(newsrooms[side], pair[side]) for pair in PAIRS for side in (0, 1)])
    assert [reply.status_code for _, reply in replies] == [201] * len(PAIRS) * 2
    ids = {text: reply.json["id"] for text, reply in replies}

    assert linking.background(app).join(30)
    client = app.test_client()
    for first, second in PAIRS:
        assert get_claim(client, ids[first])["group_id"] == get_claim(client, ids[second])["group_id"]
    db.session.remove()
    pairs = set(db.session.execute(select(ClaimLink.claim_id, ClaimLink.other_id)
                                   .where(ClaimLink.status == "confirmed")).all())
    assert pairs == {tuple(sorted((ids[first], ids[second]))) for first, second in PAIRS}
    assert integrity_problems(db.engine) == []


def test_a_claim_written_while_the_linker_is_held_is_readable_then_linked(app, client, auth):
    first = create_claim(client, auth, PAIRS[0][0])
    with linking.linker_held():
        second = create_claim(client, auth, PAIRS[0][1])
        # Readable at once, a group of its own until the linker gets to it.
        assert get_claim(client, second["id"])["group_id"] == second["id"]
        assert client.get(f"{CLAIMS}/{second['id']}/links").json["items"] == []
        assert linking.pending_ids() == [second["id"]]
    # Its writer found the lock taken and left it to the background linker, which links it
    # once the lock is free, with no further request.
    assert linking.background(app).join(30)
    assert linking.pending_ids() == []
    assert get_claim(client, second["id"])["group_id"] == first["id"]
    assert integrity_problems(db.engine) == []


def test_a_write_links_the_oldest_claims_left_pending_with_its_own(app, client, auth, linker_kept_out):
    first = create_claim(client, auth, PAIRS[0][0])
    with linking.linker_held():
        left = [create_claim(client, auth, f"{PAIRS[1][0]}, report {n}") for n in range(linking.SHARE + 1)]
        second = create_claim(client, auth, PAIRS[0][1])
    assert len(linker_kept_out) == len(left) + 1  # the lock was taken: left to the background linker
    # The next write links its own claim and the oldest left, SHARE in all, then wakes the
    # background linker for the rest: its client waits for a small batch, not the backlog.
    third = create_claim(client, auth, PAIRS[2][0])
    assert linking.pending_ids() == [claim["id"] for claim in left[linking.SHARE - 1:]] + [second["id"]]
    assert get_claim(client, third["id"])["group_id"] == third["id"]
    assert len(linker_kept_out) == len(left) + 2
    assert linking.link_pending() == 3
    assert get_claim(client, second["id"])["group_id"] == first["id"]
    assert integrity_problems(db.engine) == []


def test_a_batchs_confirmed_links_join_their_groups_at_once(app, client, auth):
    """The linker joins a batch's confirmed pairs in one step: chains through the batch's own
    claims and bridges between stored groups end as one group named by its lowest id."""
    texts = ["Moscow summoned the Israeli ambassador over the downing", "Tehran denied sending weapons to Hezbollah",
             "The S-300 batteries were operational by October", "Fifteen Russian airmen died off the Syrian coast",
             "Jerusalem offered to send the air force chief to Moscow", "Damascus blamed Israel for the loss"]
    a, b, c, d, e, f = (create_claim(client, auth, text)["id"] for text in texts)
    with transaction() as session:
        assert join_linked(session, [(c, a), (c, b), (d, c), (f, e)]) == {a, e}
    groups = {claim_id: get_claim(client, claim_id)["group_id"] for claim_id in (a, b, c, d, e, f)}
    assert groups == {a: a, b: a, c: a, d: a, e: e, f: e}


def test_once_links_fall_behind_a_write_waits_for_the_linker(app, auth, linker_kept_out, monkeypatch):
    """Past BACKLOG pending claims, a writer that finds the linker busy waits for it and
    links a batch: writes slow down to the pace of linking instead of outrunning it."""
    monkeypatch.setattr(linking, "BACKLOG", 2)
    waiting = threading.Event()
    if db.engine.dialect.name == "sqlite":
        flock = linking.fcntl.flock

        def seen_waiting(file, operation):
            if not operation & linking.fcntl.LOCK_NB:
                waiting.set()
            return flock(file, operation)

        monkeypatch.setattr(linking.fcntl, "flock", seen_waiting)
    client = app.test_client()
    first = create_claim(client, auth, PAIRS[0][0])
    with ThreadPoolExecutor(1) as pool:
        with linking.linker_held():
            left = create_claim(client, auth, PAIRS[1][0])  # one pending: no wait
            late = pool.submit(lambda: app.test_client().post(CLAIMS, json={"text": PAIRS[0][1]}, headers=auth))
            _until_waiting(waiting)
            assert not late.done() and linking.pending_ids() == [left["id"], _newest_claim_id()]
        reply = late.result(30)
    assert reply.status_code == 201
    assert linking.pending_ids() == []  # its writer linked its own and the one left before
    assert get_claim(client, reply.json["id"])["group_id"] == first["id"]
    assert integrity_problems(db.engine) == []


def _until_waiting(waiting: threading.Event) -> None:
    """Until a writer waits for the linker's lock: on SQLite, its blocking flock; on
    PostgreSQL, a backend waiting for an advisory lock."""
    if db.engine.dialect.name == "sqlite":
        assert waiting.wait(GIVE_UP_S), "no writer waited for the linker"
        return
    query = sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    deadline = time.monotonic() + GIVE_UP_S
    with db.engine.connect() as observer:
        while not observer.scalar(query):  # polled: PostgreSQL tells no one when a backend waits
            assert time.monotonic() < deadline, "no writer waited for the linker"
            time.sleep(0.01)
            observer.rollback()


def _newest_claim_id() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.max(Claim.id)))
