"""The unit of work: one commit per transaction(), savepoints only inside a held one, nothing
kept once it ends."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.models import Claim, Organisation
from factcheck.services.claims import records as claims
from factcheck.storage.uow import (
    NestedTransaction,
    OutsideUnitOfWork,
    after_commit,
    held_transaction,
    transaction,
    unit_of_work,
)


def _organisations() -> list[str]:
    db.session.remove()
    return sorted(db.session.scalars(select(Organisation.name)))


def test_a_transaction_inside_a_transaction_is_refused_and_commits_nothing(app):
    with pytest.raises(NestedTransaction), transaction() as session:
        session.add(Organisation(name="Outer desk"))
        session.flush()
        with transaction():
            pass
    assert _organisations() == []


def test_inside_a_held_transaction_a_transaction_is_a_savepoint(app):
    with held_transaction() as session:
        with transaction() as inner:
            inner.add(Organisation(name="Kept desk"))
        with pytest.raises(RuntimeError), transaction() as inner:
            inner.add(Organisation(name="Undone desk"))
            inner.flush()
            raise RuntimeError("the use case failed")
        assert _organisations_in(session) == ["Kept desk"]
        # Nothing is committed before the held transaction ends.
        with db.engine.connect() as other:
            assert other.scalar(select(func.count()).select_from(Organisation)) == 0
    assert _organisations() == ["Kept desk"]


def _organisations_in(session: Session) -> list[str]:
    return sorted(session.scalars(select(Organisation.name)))


def test_changes_made_outside_a_transaction_are_not_committed_by_one(app):
    db.session.add(Organisation(name="Stray desk"))
    with pytest.raises(OutsideUnitOfWork), transaction():
        pass
    assert _organisations() == []


def test_work_after_the_commit_runs_once_and_never_after_a_rollback(app):
    ran = []

    def work():
        ran.append("ran")

    with transaction() as session:
        after_commit(session, work)
        after_commit(session, work)
        assert ran == []
    assert ran == ["ran"]
    with pytest.raises(RuntimeError), transaction() as session:
        after_commit(session, work)
        raise RuntimeError("rolled back")
    assert ran == ["ran"]
    with pytest.raises(OutsideUnitOfWork):
        after_commit(db.session(), work)


def test_a_unit_of_work_keeps_each_claims_first_status_until_it_ends(app):
    claim_id = claims.create_claim({"text": "The ferry to the islands will be free from May."})
    with pytest.raises(RuntimeError), transaction() as session:
        claim = session.get(Claim, claim_id)
        first = claim.status
        claim.status = "contested"
        session.flush()  # which forgets the old value
        claim.status = "checked"
        assert unit_of_work(session).statuses_before == {claim_id: first}
        raise RuntimeError("rolled back")
    with pytest.raises(OutsideUnitOfWork):
        unit_of_work(db.session())


def test_a_session_of_its_own_keeps_no_status(app):
    claim_id = claims.create_claim({"text": "The ferry to the islands will be free from June."})
    with Session(db.engine) as session:
        session.get(Claim, claim_id).status = "contested"
        assert session.info == {}
        session.rollback()
