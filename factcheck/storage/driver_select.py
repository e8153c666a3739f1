"""Core selects run on the driver's cursor, for the hottest reads (docs/architecture.md)."""
from collections import namedtuple
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Boolean, Connection, Select, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from factcheck.models.types import UTCDateTime, as_utc


class one_of(ColumnElement[bool]):  # noqa: N801 (used as SQL is written: a function)
    """`column IN (the list bound as :name)`, one parameter whatever the list's length."""

    inherit_cache = True  # (no Boolean type: SQLite would render `... = 1`)
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("param", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement, name: str):
        self.column, self.param = column, bindparam(name)


@compiles(one_of, "postgresql")
def _one_of_postgresql(element: one_of, compiler, **kw) -> str:
    column, param = compiler.process(element.column, **kw), compiler.process(element.param, **kw)
    return f"{column} = ANY(CAST({param} AS INTEGER[]))"


@compiles(one_of, "sqlite")
def _one_of_sqlite(element: one_of, compiler, **kw) -> str:
    column, param = compiler.process(element.column, **kw), compiler.process(element.param, **kw)
    return f"{column} IN (SELECT value FROM json_each({param}))"


def _utc_from_text(value: str | None) -> datetime | None:
    # 0.15 us; datetime.replace(tzinfo=...) alone took 0.8 us, 15% of a contested page's CPU.
    return None if value is None else datetime.fromisoformat(value + "+00:00")


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _json_list(ids: list[int] | tuple[int, ...]) -> str:
    return orjson.dumps(ids).decode()  # a tenth of json.dumps's time


def _array_literal(ids: list[int] | tuple[int, ...]) -> str:
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


# How a list of ids is written for one_of's parameter, by dialect.
_LIST_WRITERS = {"sqlite": _json_list, "postgresql": _array_literal}


class _Compiled:
    def __init__(self, statement: Select, dialect: Dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.defaults = compiled.params  # binds given a value in the statement (an OFFSET, say)
        self.names = compiled.positiontup if compiled.positional else None
        self.write_list = _LIST_WRITERS[dialect.name]
        columns = list(statement.selected_columns)
        self.row = namedtuple("Row", [column.key for column in columns], rename=True)
        converters: list[tuple[int, Callable]] = []
        for i, column in enumerate(columns):
            if isinstance(column.type, UTCDateTime):
                converters.append((i, _utc_from_text if dialect.name == "sqlite" else _utc))
            elif isinstance(column.type, Boolean) and dialect.name == "sqlite":
                converters.append((i, _bool))
        self.converters = converters

    def parameters(self, values: dict[str, Any]):
        values = {**self.defaults, **values}
        values = {k: self.write_list(v) if isinstance(v, list | tuple) else v for k, v in values.items()}
        if self.names is not None:
            return tuple(values[name] for name in self.names)
        return values

    def rows(self, raw: list[tuple]) -> list[tuple]:
        make, converters = self.row._make, self.converters
        if not converters:
            return [make(row) for row in raw]
        rows = []
        for row in raw:
            row = list(row)
            for i, convert in converters:
                row[i] = convert(row[i])
            rows.append(make(row))
        return rows


class DriverSelect:
    """A Core select, compiled once per dialect and run on the driver's cursor."""

    def __init__(self, statement: Select):
        self.statement = statement
        self._compiled: dict[type, _Compiled] = {}  # by dialect class: database and driver

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(type(dialect))
        if compiled is None:
            compiled = self._compiled[type(dialect)] = _Compiled(self.statement, dialect)
        return compiled

    def rows(self, connection: Connection, **values: Any) -> list[tuple]:
        """All its rows, as named tuples, on this SQLAlchemy connection (and its transaction)."""
        compiled = self._for(connection.dialect)
        return compiled.rows(fetch_all(connection, compiled.sql, compiled.parameters(values)))


def fetch_all(connection: Connection, sql: str, parameters: Any = ()) -> list[tuple]:
    """The driver's rows for this SQL on this SQLAlchemy connection, run on the driver's cursor
    with SQLAlchemy's cursor listeners told, as for a DriverSelect."""
    dispatch = connection.dispatch
    cursor = connection.connection.driver_connection.cursor()
    try:
        dispatch.before_cursor_execute(connection, cursor, sql, parameters, None, False)
        try:
            cursor.execute(sql, parameters)
            raw = cursor.fetchall()
        except connection.dialect.loaded_dbapi.Error:
            raw = connection.exec_driver_sql(sql, parameters).all()
        dispatch.after_cursor_execute(connection, cursor, sql, parameters, None, False)
    finally:
        cursor.close()
    return raw
