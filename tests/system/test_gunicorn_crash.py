"""kill -9 under load: every write acknowledged with a 2xx survives, the database stays sound."""
import pytest

from tests.system.integrity import stored_writes
from tests.system.load import Client, Ledger, create_claim, writers

pytestmark = pytest.mark.system

ROUNDS = 5  # claims per writing desk
KILL_AFTER = 15  # acknowledged writes before the kill, so it lands in the middle of the load


def start_load(server, system_db):
    clients = [Client(server.base_url, token) for token in system_db.tokens]
    ledger = Ledger()
    target = create_claim(clients[0], ledger, "The strike on Latakia was announced in advance").body["id"]
    return ledger, writers(clients, ledger, ROUNDS, target)


def answers(ledger: Ledger) -> set:
    return {status for _, status in ledger.statuses}


def assert_acknowledged_writes_kept(system_db, ledger: Ledger) -> None:
    """Every acknowledged write stored, and every claim linked by the servers themselves
    (what a killed worker left pending is picked up by the others or its replacement)."""
    system_db.wait_until_linked()
    claims, verdicts = stored_writes(system_db.engine)
    assert {id_: claims.get(id_) for id_ in ledger.claims} == ledger.claims
    assert {id_: verdicts.get(id_) for id_ in ledger.verdicts} == ledger.verdicts
    assert system_db.problems() == []


def test_killing_a_worker_loses_only_its_own_request(system_db, servers):
    server = servers.start()
    ledger, load = start_load(server, system_db)
    ledger.wait_for_acknowledged(KILL_AFTER)
    server.kill_worker()
    # The replacement worker (and the others) carry on with the load.
    ledger.wait_for_acknowledged(ledger.acknowledged() + KILL_AFTER)
    load.join()

    assert answers(ledger) <= {200, 201, "no answer"}, ledger.statuses
    unanswered = sum(n for (_, status), n in ledger.statuses.items() if status == "no answer")
    assert unanswered <= 1, ledger.statuses  # a sync worker handles one request at a time
    assert "database is locked" not in servers.log()
    assert_acknowledged_writes_kept(system_db, ledger)


def test_killing_the_whole_server_loses_no_acknowledged_write(system_db, servers):
    server = servers.start()
    ledger, load = start_load(server, system_db)
    ledger.wait_for_acknowledged(KILL_AFTER)
    server.kill()
    load.join()  # what was still to send is refused at once

    assert answers(ledger) <= {200, 201, "no answer"}, ledger.statuses
    restarted = servers.start()  # its workers link what the killed ones left pending
    assert_acknowledged_writes_kept(system_db, ledger)
    # The restarted server takes writes on the same database again.
    after = create_claim(Client(restarted.base_url, system_db.tokens[0]), ledger,
                         "Russia blamed Israel for the loss of the plane after the restart")
    assert after.status == 201, after
    assert "database is locked" not in servers.log()
    system_db.wait_until_linked()  # another worker's linker may be the one to link it
    assert system_db.problems() == []
