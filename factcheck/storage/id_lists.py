"""`column IN (a list of ids)` bound as one parameter, whatever the list's length."""
from typing import ClassVar

import orjson
from sqlalchemy import String, TypeDecorator, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class _Ids(TypeDecorator):
    """A list of ids as the statement reads it: JSON for SQLite's json_each, an array literal
    for PostgreSQL."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        ids = [int(i) for i in value]
        if dialect.name == "sqlite":
            return orjson.dumps(ids).decode()
        return "{" + ",".join(map(str, ids)) + "}"


class one_of(ColumnElement[bool]):  # (named as SQL is written: a function)
    """`column IN (the list bound as :name)`: one statement for every length of list (an
    expanding IN is another statement per length, and SQLite caps its parameters)."""

    inherit_cache = True  # (no Boolean type: SQLite would render `... = 1`)
    _traverse_internals: ClassVar[list] = [("column", InternalTraversal.dp_clauseelement),
                                           ("param", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement, name: str):
        self.column, self.param = column, bindparam(name, type_=_Ids())


@compiles(one_of, "postgresql")
def _one_of_postgresql(element: one_of, compiler, **kw) -> str:
    column, param = compiler.process(element.column, **kw), compiler.process(element.param, **kw)
    return f"{column} = ANY(CAST({param} AS INTEGER[]))"


@compiles(one_of, "sqlite")
def _one_of_sqlite(element: one_of, compiler, **kw) -> str:
    column, param = compiler.process(element.column, **kw), compiler.process(element.param, **kw)
    return f"{column} IN (SELECT value FROM json_each({param}))"
