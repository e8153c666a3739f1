"""A token's rate limit under gunicorn: every worker counts against one limit, each adding
its requests to the shared count in batches."""
import time

import pytest

from tests.system.load import Client, Ledger, create_claim, run_threads
from tests.system.server import WORKERS, until

pytestmark = pytest.mark.system

LIMIT = 40
BATCH = 5
CLIENTS = 4
SENT = 2 * LIMIT


def test_workers_share_one_limit_within_a_batch_each(system_db, servers):
    # Batches only (no flush by time), so the bound below is the one a busy server keeps.
    server = servers.start(RATE_LIMIT_PER_MINUTE=str(LIMIT), RATE_LIMIT_BATCH=str(BATCH),
                           RATE_LIMIT_FLUSH_SECONDS="3600")
    ledger, sent = Ledger(), iter(range(SENT))
    # The limit's window is the clock's minute: start early in one, so that all fits in it.
    until(lambda: time.time() % 60 < 30, 60, "the start of a minute")
    window = time.time() // 60

    def client_loop(client: Client) -> None:
        for n in sent:
            create_claim(client, ledger, f"Claim {n} of the rate limit test about the harbour tunnel")

    run_threads([lambda: client_loop(Client(server.base_url, system_db.tokens[0]))] * CLIENTS)
    assert time.time() // 60 == window, "the run straddled two windows"

    accepted, refused = ledger.count("claim", 201), ledger.count("claim", 429)
    assert accepted + refused == SENT, ledger.statuses
    # Never refused before the limit (a worker's count never runs ahead of the true one);
    # over it by at most what each worker held back, under a batch each.
    assert LIMIT <= accepted <= LIMIT + WORKERS * (BATCH - 1), ledger.statuses
    # Another token (another desk) still has its whole limit.
    assert create_claim(Client(server.base_url, system_db.tokens[1]), ledger, "Another desk's claim").status == 201
