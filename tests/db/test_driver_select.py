"""DriverSelect: Core selects on the driver's cursor give what SQLAlchemy's execution gives."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import column, event, select, table
from sqlalchemy.exc import DBAPIError

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.claims import records as claim_service
from factcheck.storage.driver_select import DriverSelect, one_of

_COLUMNS = (Claim.id, Claim.text, Claim.created_at, Claim.verdicts_disagree, Claim.contest_score)
BY_ID = DriverSelect(select(*_COLUMNS).where(one_of(Claim.id, "ids")).order_by(Claim.id))


@pytest.fixture
def claim_ids(app):
    return [claim_service.create_claim({"text": f"Claim number {n} about the {word} budget."})
            for n, word in enumerate(("harbour", "railway", "orchard"))]


def test_rows_are_those_sqlalchemy_gives_as_named_tuples(claim_ids):
    connection = db.session.connection()
    expected = connection.execute(select(*_COLUMNS).where(Claim.id.in_(claim_ids)).order_by(Claim.id)).all()
    rows = BY_ID.rows(connection, ids=claim_ids)
    assert rows == [tuple(row) for row in expected]
    first = rows[0]
    assert (first.id, first.text) == (claim_ids[0], "Claim number 0 about the harbour budget.")
    assert isinstance(first.created_at, datetime) and first.created_at.tzinfo == timezone.utc
    assert first.verdicts_disagree is False and first.contest_score is None


def test_a_list_of_any_length_is_one_parameter_of_one_statement(claim_ids):
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        connection = db.session.connection()
        sizes = [len(BY_ID.rows(connection, ids=ids)) for ids in ([], claim_ids[:1], claim_ids, claim_ids + [10**9])]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sizes == [0, 1, 3, 3]
    ours = [(statement, parameters) for statement, parameters in sent if "FROM claims" in statement]
    assert len(ours) == 4  # listeners see every statement
    assert len({statement for statement, _ in ours}) == 1  # and its SQL never changes
    assert all(len(parameters) == 1 for _, parameters in ours)


def test_a_failing_statement_raises_sqlalchemys_error(app):
    missing = table("no_such_table", column("id"))
    with pytest.raises(DBAPIError, match="no_such_table"):
        DriverSelect(select(missing.c.id).where(one_of(missing.c.id, "ids"))).rows(db.session.connection(), ids=[1])


def test_postgresql_runs_a_prepared_statement_by_its_generic_plan(claim_ids):
    """Planned once, not for each run's values: PostgreSQL takes `= ANY($1)` to hold 10 ids,
    so it would plan every run of a one-id read again (database.configure_engine)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("plan caching is PostgreSQL's")
    # The driver prepares a statement once it has run this often on a connection.
    threshold = connection.connection.driver_connection.prepare_threshold
    assert threshold is not None, "the driver prepares no statement"
    # Then a few prepared runs: fewer than the five that PostgreSQL's default mode would plan
    # for their values before it so much as considers the generic plan.
    for n in range(threshold + 4):
        assert len(BY_ID.rows(connection, ids=claim_ids[n % 3:][:1])) == 1
    ((generic, custom),) = connection.exec_driver_sql(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
        "WHERE statement LIKE '%%FROM claims%%' AND statement LIKE '%%ANY%%'").all()
    assert generic > 0 and custom == 0
