"""one_of: `column IN (a list)` bound as one parameter gives what an IN of the list gives."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.claims import records as claim_service
from factcheck.storage.id_lists import one_of

_COLUMNS = (Claim.id, Claim.text, Claim.created_at, Claim.verdicts_disagree, Claim.contest_score)
BY_ID = select(*_COLUMNS).where(one_of(Claim.id, "ids")).order_by(Claim.id)


@pytest.fixture
def claim_ids(app):
    return [claim_service.create_claim({"text": f"Claim number {n} about the {word} budget."})
            for n, word in enumerate(("harbour", "railway", "orchard"))]


def test_rows_are_those_of_an_in_of_the_list(claim_ids):
    connection = db.session.connection()
    expected = connection.execute(select(*_COLUMNS).where(Claim.id.in_(claim_ids)).order_by(Claim.id)).all()
    rows = connection.execute(BY_ID, {"ids": claim_ids}).all()
    assert rows == expected and len(rows) == 3
    first = rows[0]
    assert (first.id, first.text) == (claim_ids[0], "Claim number 0 about the harbour budget.")
    assert isinstance(first.created_at, datetime) and first.created_at.tzinfo == UTC
    assert first.verdicts_disagree is False and first.contest_score is None


def test_a_list_of_any_length_is_one_parameter_of_one_statement(claim_ids):
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        connection = db.session.connection()
        sizes = [len(connection.execute(BY_ID, {"ids": ids}).all())
                 for ids in ([], claim_ids[:1], claim_ids, claim_ids + [10**9], range(5000))]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sizes == [0, 1, 3, 3, 3]
    ours = [(statement, parameters) for statement, parameters in sent if "FROM claims" in statement]
    assert len(ours) == 5
    assert len({statement for statement, _ in ours}) == 1  # its SQL never changes
    assert all(len(parameters) == 1 for _, parameters in ours)
