"""Queries built once per process and then only run: for reads on (nearly) every page
whose building, many subqueries deep, costs Django more than the database spends on them.

On PostgreSQL they are also planned once per connection: a server-side prepared statement.
Planning those queries, subquery by subquery, takes the server several times longer than
running them (6 ms against 1 ms for a learner's pathway versions on a company of 50,000).
DATABASE_PREPARED_QUERIES=off sends them as plain queries, for a connection pooler that
does not keep a session's prepared statements (PgBouncer in transaction mode).
"""

import weakref
from collections.abc import Callable
from itertools import count

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stands for the value a prepared query runs with while its SQL is built: no id is negative.
PLACEHOLDER = -1

# Every prepared query the process has defined, for compile_all.
_DEFINED: "weakref.WeakSet[PreparedQuery]" = weakref.WeakSet()


def compile_all(using: str = DEFAULT_DB_ALIAS) -> None:
    """Build the SQL of every prepared query defined so far, without touching the
    database: a worker does it as it starts, so no visitor's request waits for it."""
    for query in list(_DEFINED):
        query.compile(using)


class PreparedQuery:
    """A values() query whose SQL is built once per process, from `build(PLACEHOLDER)`, and
    then run with a value in the placeholder's place.

    `build` takes the one value that changes between runs (an id) and uses it once, in a
    filter; the rest of the query must not depend on anything that changes while the
    process runs. Rows come as the database driver gives them, without Django's
    conversions: SQLite answers a condition with 0 or 1 and a moment as text.
    """

    def __init__(self, build: Callable[[int], QuerySet], *, name: str):
        self._build = build
        self._compiled: dict[str, tuple[str, list, int]] = {}
        # `name` says in the server's statistics and logs which query a statement is.
        self._statement = f"{name}_{next(_statements)}"
        _DEFINED.add(self)

    def compile(self, using: str = DEFAULT_DB_ALIAS) -> None:
        """Build the SQL now rather than on the first run."""
        self._sql(using)

    def _sql(self, using: str) -> tuple[str, list, int]:
        if using not in self._compiled:
            compiler = self._build(PLACEHOLDER).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            params = list(params)
            if params.count(PLACEHOLDER) != 1:
                raise ValueError("a prepared query takes its value exactly once")
            self._compiled[using] = (sql, params, params.index(PLACEHOLDER))
        return self._compiled[using]

    def rows(self, value: int, *, using: str = DEFAULT_DB_ALIAS) -> list[dict]:
        """The query's rows for `value`, each a dict by column name."""
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and settings.DATABASE_PREPARED_QUERIES:
                self._prepare(connection, using)
                cursor.execute(f"EXECUTE {self._statement} (%s)", [value])
            else:
                sql, params, at = self._sql(using)
                params = [*params]
                params[at] = value
                cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _prepare(self, connection, using: str) -> None:
        """PREPARE the statement on this connection unless it already holds it."""
        from psycopg2.extensions import AsIs  # only PostgreSQL comes here

        held = getattr(connection, "_prepared_queries", None)
        # The set belongs to one server session: a new connection starts without them. The
        # old connection object is held, so a new one can never be taken for it.
        if held is None or held[0] is not connection.connection:
            held = (connection.connection, set())
            connection._prepared_queries = held
        if self._statement in held[1]:
            return
        sql, params, at = self._sql(using)
        params = [*params]
        params[at] = AsIs("$1")
        # On the driver's own cursor: preparing is once per connection, not a query of the
        # request that happens to come first, which query counts would otherwise see.
        with connection.connection.cursor() as cursor:
            cursor.execute(f"PREPARE {self._statement} AS {sql}", params)
        held[1].add(self._statement)


# Names each query's prepared statement, unique within the process.
_statements = count(1)
