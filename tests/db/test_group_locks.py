"""Writers of a group lock it whole, in id order: none waits forever, none misses a merge."""
import threading

import flask_migrate
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.models import Claim, ClaimLink, Verdict
from factcheck.services.accounts.actors import SYSTEM
from factcheck.services.claims import records as claims
from factcheck.services.links import decisions as links
from factcheck.services.links.groups import lock_groups
from factcheck.services.links.linker import link_pending, linker_held
from factcheck.services.verdicts import reviews as verdicts
from factcheck.storage.engine import WRITE_OPTION
from tests.api.helpers import BASE_CLAIM, NEAR_COPY, REWORDED, UNRELATED
from tests.lock_waits import GIVE_UP_S, LockWaits, backend_pid

FIRST = "Israel informed Russia of the Latakia airstrike one minute before it began."
SECOND = "Fifteen Russian crew members were killed when Syrian air defences shot down the plane."


def started(app, outcome: dict, key: str, work) -> threading.Thread:
    """`work` run in a thread of its own, in the app's context: what it returns lands in
    outcome[key], what it raises in outcome["error"] (the tests assert on both)."""
    def run():
        with app.app_context():
            try:
                outcome[key] = work()
            except Exception as error:  # noqa: BLE001
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_verdict_waiting_on_a_merge_lands_in_the_merged_group(empty_app, monkeypatch):
    """On PostgreSQL the verdict waits for the merged rows; on SQLite for the database's
    write lock, which the merge holds: either way it must read the groups after the merge."""
    with empty_app.app_context():
        lock_waits = LockWaits(db.engine, monkeypatch)
        flask_migrate.upgrade()
        first, second = claims.create_claim({"text": FIRST}), claims.create_claim({"text": SECOND})
        db.session.remove()
        outcome = {}
        verdict = {"publisher": {"name": "Demo", "site": "demo.example.org"}, "rating": "False"}

        # Another writer (a link being confirmed) moves the second claim into the first's group.
        with db.engine.connect().execution_options(**{WRITE_OPTION: True}) as merger:
            merger.begin()
            merger.execute(sa.update(Claim).where(Claim.group_id.in_((first, second))).values(group_id=first))
            writer = started(empty_app, outcome, "verdict", lambda: verdicts.submit_verdict(second, verdict).id)
            lock_waits.until_blocked_by(backend_pid(merger))
            merger.commit()
        writer.join(GIVE_UP_S)

        assert "error" not in outcome, outcome
        stored = db.session.get(Verdict, outcome["verdict"])
        assert stored.claim_id == second
        # The summary was written for the merged group: both claims show the verdict.
        assert {c.status for c in db.session.scalars(sa.select(Claim))} == {"checked"}


def test_deciding_a_link_while_a_verdict_locks_the_group_does_not_deadlock(empty_app, monkeypatch):
    with empty_app.app_context():
        lock_waits = LockWaits(db.engine, monkeypatch)
        flask_migrate.upgrade()
        base, copy, reworded = (claims.create_claim({"text": t}) for t in (BASE_CLAIM, NEAR_COPY, REWORDED))
        # base and copy form a group; the link to decide names copy, not the group's first claim.
        link = db.session.scalars(sa.select(ClaimLink).where(
            ClaimLink.claim_id == copy, ClaimLink.other_id == reworded)).one()
        link_id, version = link.id, link.version
        db.session.remove()
        outcome = {}

        # A verdict's writer locks the group in id order: base first, copy next.
        with db.engine.connect().execution_options(**{WRITE_OPTION: True}) as verdict_writer:
            verdict_writer.begin()
            verdict_writer.execute(sa.select(Claim.id).where(Claim.id == base).with_for_update())
            decider = started(empty_app, outcome, "link",
                              lambda: links.decide_link(link_id, "confirmed", SYSTEM, version).status)
            lock_waits.until_blocked_by(backend_pid(verdict_writer))
            verdict_writer.execute(sa.select(Claim.id).where(Claim.id == copy).with_for_update())
            verdict_writer.commit()
        decider.join(GIVE_UP_S)

        assert outcome == {"link": "confirmed"}
        assert set(db.session.scalars(sa.select(Claim.group_id))) == {base}


def test_a_row_referring_to_a_locked_group_does_not_wait_for_its_writer(empty_app):
    """A new claim's link to a member takes KEY SHARE on it (its foreign key) while a verdict
    holds the member's group: it must go on, or the two can deadlock (seen under gunicorn)."""
    with empty_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's writers take the whole database's lock, one at a time")
        flask_migrate.upgrade()
        first, second = claims.create_claim({"text": FIRST}), claims.create_claim({"text": SECOND})
        db.session.remove()
        with db.engine.connect() as holder:
            holder.begin()
            with Session(bind=holder) as session:
                assert set(lock_groups(session, [first])) == {first}
                with db.engine.connect() as linker:
                    linker.begin()
                    linker.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
                    linker.execute(sa.insert(ClaimLink).values(
                        claim_id=first, other_id=second, score=75.0, scorer="test", status="suggested"))
                    linker.rollback()
            holder.rollback()


def test_the_linker_locks_a_group_before_it_writes_to_any_member(empty_app, monkeypatch, linker_kept_out):
    """A new wording auto-linked to a group's second member counts an ask on it: that write
    must wait for the group's lock, taken in id order, or the linker holds the second member
    while it waits for the first, which a verdict's writer holds on its way to the second."""
    with empty_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's writers take the whole database's lock, one at a time")
        lock_waits = LockWaits(db.engine, monkeypatch)
        flask_migrate.upgrade()
        first, second = claims.create_claim({"text": UNRELATED}), claims.create_claim({"text": BASE_CLAIM})
        link = ClaimLink(claim_id=first, other_id=second, score=50.0, scorer="test", status="suggested")
        db.session.add(link)
        db.session.commit()
        links.decide_link(link.id, "confirmed", SYSTEM, link.version)  # one group, named by `first`
        with linker_held():
            new = claims.create_claim({"text": NEAR_COPY})  # left pending
        db.session.remove()
        outcome = {}

        with db.engine.connect().execution_options(**{WRITE_OPTION: True}) as verdict_writer:
            verdict_writer.begin()
            verdict_writer.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            verdict_writer.execute(sa.select(Claim.id).where(Claim.id == first).with_for_update(key_share=True))
            linker = started(empty_app, outcome, "linked", link_pending)
            lock_waits.until_blocked_by(backend_pid(verdict_writer))
            verdict_writer.execute(sa.select(Claim.id).where(Claim.id == second).with_for_update(key_share=True))
            verdict_writer.commit()
        linker.join(GIVE_UP_S)

        assert outcome == {"linked": 1}
        rows = {id_: (group, asked) for id_, group, asked in
                db.session.execute(sa.select(Claim.id, Claim.group_id, Claim.asked))}
        assert rows[new] == (first, 0) and rows[second] == (first, 1)
