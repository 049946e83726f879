"""Reads planned once per connection, and queries built once per process.

PostgreSQL plans a query each time it is sent, subquery by subquery, and for the product's
reads planning often takes the server longer than running them (6 ms against 1 ms for a
learner's pathway versions on a company of 50,000). A read sent as a server-side prepared
statement is planned when first prepared and then only run; the statement lives as long
as the connection, so this pays where connections are kept between requests
(CONN_MAX_AGE). DATABASE_PREPARED_QUERIES=off sends every read as a plain query, for a
connection pooler that does not keep a session's prepared statements (PgBouncer in
transaction mode). Other databases always get plain queries.

- `planned_once()` (a context manager or a view decorator) sends the reads run inside it
  as prepared statements, one per distinct SQL text, whatever builds them.
- `PreparedQuery` also builds its SQL only once per process, for reads on (nearly) every
  page whose building, many subqueries deep, costs Django more than the database spends.
"""

import re
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# A connection holds at most this many statements: a read whose text varies (a page's
# OFFSET is written into its SQL) runs plain beyond it rather than filling the server.
MOST_STATEMENTS_PER_CONNECTION = 200

# The PostgreSQL type each statement parameter is declared with, by the Python type of
# the value it runs with (a datetime before a date: it is one too), so the server never
# has to guess one from the SQL around it.
_PARAMETER_TYPES = (
    (int, "bigint"),
    (str, "text"),
    (datetime, "timestamp with time zone"),
    (date, "date"),
    (UUID, "uuid"),
)
# Values of these types are written into a statement rather than sent as its parameters,
# unless a PreparedQuery names them: in the product's reads they are the query's own
# constants (a status, a flag), and the server plans well only for the constants it sees.
# Any other value (None, a list, JSON…) makes the read run as a plain query.
_CONSTANT_TYPES = (bool, str, float, Decimal)

# Django writes a value as %s and a percent sign as %%; PREPARE numbers parameters $1, $2…
_DRIVER_MARKS = re.compile(r"%[s%]")


def _type_of(value) -> str | None:
    if isinstance(value, datetime) and value.tzinfo is None:
        return None  # the product stores and compares moments in UTC only
    return next((name for kind, name in _PARAMETER_TYPES if isinstance(value, kind)), None)


def _statements_held(connection) -> dict[tuple, str]:
    """The statements this connection's server session holds, by text and types."""
    held = getattr(connection, "_prepared_statements", None)
    # They belong to one server session: a new connection starts without them. The old
    # driver connection object is held, so a new one can never be taken for it.
    if held is None or held[0] is not connection.connection:
        held = (connection.connection, {})
        connection._prepared_statements = held
    return held[1]


def _statement_for(connection, sql: str, params, name: str, varying=None):
    """The statement prepared on this connection for `sql` run with `params`, preparing it
    the first time, and the values it runs with; None when it is to run as a plain query.
    `varying` holds the places of the values sent as parameters, by default those that
    are not constants (_CONSTANT_TYPES)."""
    if sql.lstrip()[:6].upper() != "SELECT" or not isinstance(params, list | tuple):
        return None
    if varying is None:
        varying = {i for i, value in enumerate(params) if not isinstance(value, _CONSTANT_TYPES)}
    types = [_type_of(params[i]) for i in sorted(varying)]
    if None in types:
        return None
    places = iter(enumerate(params))
    numbers = iter(range(1, len(varying) + 1))

    def written_as(mark, cursor):
        if mark[0] == "%%":
            return "%"
        place, value = next(places)
        return f"${next(numbers)}" if place in varying else cursor.mogrify("%s", [value]).decode()

    with connection.connection.cursor() as cursor:
        text = _DRIVER_MARKS.sub(lambda mark: written_as(mark, cursor), sql)
    held = _statements_held(connection)
    key = (text, tuple(types))
    if key not in held:
        if len(held) >= MOST_STATEMENTS_PER_CONNECTION:
            return None
        statement = f"{name}_{len(held) + 1}"
        declared = f" ({', '.join(types)})" if types else ""
        # On the driver's own cursor: preparing is once per connection, not a query of the
        # request that happens to come first, which query counts would otherwise see.
        with connection.connection.cursor() as cursor:
            cursor.execute(f"PREPARE {statement}{declared} AS {text}")
        held[key] = statement
    # Planned for ids and text, a statement's generic plan is the one PostgreSQL would
    # choose for any of them, but it estimates that plan a little dearer than a plan for
    # the values at hand and so plans again on every run: it is told to keep it. A moment
    # is left to the server, which plans for it each time only where that pays off (how
    # many rows a "since" reads depends on it).
    mode = (
        "auto" if "timestamp with time zone" in types or "date" in types else "force_generic_plan"
    )
    return held[key], [params[i] for i in sorted(varying)], mode


def _execution(statement: str, values: list, mode: str) -> tuple[str, list]:
    """The SQL that runs a prepared statement with `values` under plan_cache_mode `mode`,
    which only prepared statements heed. It is set on every run, in the same round trip:
    a setting kept for the session would be taken back by any transaction rolled back."""
    marks = f" ({', '.join(['%s'] * len(values))})" if values else ""
    return f"SET plan_cache_mode = {mode}; EXECUTE {statement}{marks}", values


@contextmanager
def planned_once(name: str = "planned", *, using: str = DEFAULT_DB_ALIAS):
    """Send the reads run inside as prepared statements, named `name`_1, `name`_2… on the
    connection (on PostgreSQL, unless DATABASE_PREPARED_QUERIES is off). Results and
    query counts are those of plain queries."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_QUERIES:
        yield
        return

    def execute(run, sql, params, many, context):
        # A server-side cursor (iterator()) declares its own query: EXECUTE cannot be one.
        named = getattr(context["cursor"].cursor, "name", None)
        prepared = None if many or named else _statement_for(connection, sql, params, name)
        if prepared is None:
            return run(sql, params, many, context)
        return run(*_execution(*prepared), many, context)

    with connection.execute_wrapper(execute):
        yield


# Every PreparedQuery the process has defined, for compile_all.
_DEFINED: "weakref.WeakSet[PreparedQuery]" = weakref.WeakSet()


def compile_all(using: str = DEFAULT_DB_ALIAS) -> None:
    """Build the SQL of every PreparedQuery defined so far, without touching the database:
    a worker does it as it starts, so no visitor's request waits for it."""
    for query in list(_DEFINED):
        query.compile(using)


class PreparedQuery:
    """A values() query whose SQL is built once per process, from `build` called with a
    stand-in for each of its named parameters, and then run with values in their places.

    `parameters` names each parameter with its type (int or str). `build` may use a
    parameter several times, but only as a value the database compares with (a filter, a
    condition), never to decide the query's shape: the rest of the query must not depend
    on anything that changes while the process runs. Rows come as the database driver
    gives them, without Django's conversions: SQLite answers a condition with 0 or 1 and
    a moment as text.
    """

    def __init__(self, build: Callable[..., QuerySet], *, name: str, parameters: dict[str, type]):
        self._build = build
        self._name = name
        self._stand_ins = {
            parameter: _stand_in(kind, number)
            for number, (parameter, kind) in enumerate(parameters.items(), start=1)
        }
        self._compiled: dict[str, tuple[str, list, dict[int, str]]] = {}
        _DEFINED.add(self)

    def compile(self, using: str = DEFAULT_DB_ALIAS) -> None:
        """Build the SQL now rather than on the first run."""
        self._sql(using)

    def _sql(self, using: str) -> tuple[str, list, dict[int, str]]:
        """The SQL, its fixed parameters, and which parameter goes at which place."""
        if using not in self._compiled:
            queryset = self._build(**self._stand_ins)
            sql, params = queryset.query.get_compiler(using=using).as_sql()
            places = {
                place: parameter
                for place, value in enumerate(params)
                for parameter, stand_in in self._stand_ins.items()
                if type(value) is type(stand_in) and value == stand_in
            }
            if set(places.values()) != self._stand_ins.keys():
                raise ValueError("a prepared query uses each of its parameters")
            self._compiled[using] = (sql, list(params), places)
        return self._compiled[using]

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list[dict]:
        """The query's rows for the parameters' `values`, each a dict by column name."""
        if values.keys() != self._stand_ins.keys():
            raise TypeError(f"a prepared query runs with {', '.join(self._stand_ins)}")
        sql, params, places = self._sql(using)
        params = [*params]
        for place, parameter in places.items():
            params[place] = values[parameter]
        connection = connections[using]
        with connection.cursor() as cursor:
            prepared = None
            if connection.vendor == "postgresql" and settings.DATABASE_PREPARED_QUERIES:
                prepared = _statement_for(connection, sql, params, self._name, set(places))
            cursor.execute(*(_execution(*prepared) if prepared else (sql, params)))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _stand_in(kind: type, number: int):
    """A value no real parameter takes, told apart from the query's fixed values: no id is
    negative, and no text the product compares holds a NUL character."""
    if kind is int:
        return -number
    if kind is str:
        return f"\0parameter {number}\0"
    raise TypeError("a prepared query's parameters are ids (int) or text (str)")
