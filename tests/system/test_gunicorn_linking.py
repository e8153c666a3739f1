"""Linking after the commit under gunicorn: near-duplicates written by several workers at once
end up linked, and a claim left pending survives kill -9 and is linked by the next worker."""
import threading
from functools import partial

import pytest

from factcheck.extensions import db
from factcheck.services.links import linker as linking
from tests.conftest import make_app
from tests.system.load import Client, Ledger, create_claim, run_threads

pytestmark = pytest.mark.system

WORDINGS = 4  # wordings of each claim, posted at the same moment by as many workers' clients
CLAIMS = [
    "Russian air defence systems were delivered to Syria within two weeks of the downing",
    "The Israeli air force warned the Russian command only one minute before the strike on Latakia",
    "Syrian missiles shot down the Russian reconnaissance plane while aiming at Israeli fighter jets",
]
PREFIXES = ["", "Reportedly ", "Officials say ", "Breaking: "]


def group_of(client: Client, claim_id: int) -> int:
    return client.request("GET", f"/api/v1/claims/{claim_id}").body["group_id"]


def test_near_duplicates_written_by_several_workers_at_once_are_linked(system_db, servers):
    server = servers.start()
    clients = [Client(server.base_url, token) for token in system_db.tokens]
    ledger, barrier = Ledger(), threading.Barrier(len(CLAIMS) * WORDINGS)

    def post(client: Client, text: str) -> None:
        barrier.wait(10)
        assert create_claim(client, ledger, text).status == 201

    run_threads([partial(post, clients[n % len(clients)], f"{PREFIXES[w]}{text}")
                 for n, text in enumerate(CLAIMS) for w in range(WORDINGS)])

    system_db.wait_until_linked()
    ids = {text: claim_id for claim_id, text in ledger.claims.items()}
    for text in CLAIMS:
        groups = {group_of(clients[0], ids[f"{prefix}{text}"]) for prefix in PREFIXES}
        assert len(groups) == 1, (text, groups)
    assert len({group_of(clients[0], ids[text]) for text in CLAIMS}) == len(CLAIMS)
    assert system_db.problems() == []


def test_a_pending_claim_survives_kill_9_and_the_next_worker_links_it(system_db, servers):
    server = servers.start()
    client, ledger = Client(server.base_url, system_db.tokens[0]), Ledger()
    first = create_claim(client, ledger, CLAIMS[0]).body["id"]
    app = make_app(system_db.url)
    with app.app_context():
        # The linker kept out: the claim commits, its linking waits.
        with linking.linker_held():
            second = create_claim(client, ledger, f"Reportedly {CLAIMS[0]}").body["id"]
            assert group_of(client, second) == second  # readable at once, not linked yet
            assert system_db.pending() == [second]
        # Every worker dies with the pending record still there ...
        server.kill_workers()
        # ... and the workers that replace them link it, with no further request.
        system_db.wait_until_linked()
        assert group_of(client, second) == first
        db.engine.dispose()
    assert system_db.problems() == []
