"""Queries built once per process and then only run: for reads on (nearly) every page
whose building, many subqueries deep, costs Django more than the database spends on them.
"""

import weakref
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stands for the value a prepared query runs with while its SQL is built: no id is negative.
PLACEHOLDER = -1

# Every prepared query the process has defined, for prepare_all.
_DEFINED: "weakref.WeakSet[PreparedQuery]" = weakref.WeakSet()


def prepare_all(using: str = DEFAULT_DB_ALIAS) -> None:
    """Build the SQL of every prepared query defined so far, without touching the
    database: a worker does it as it starts, so no visitor's request waits for it."""
    for query in list(_DEFINED):
        query.prepare(using)


class PreparedQuery:
    """A values() query whose SQL is built once per process, from `build(PLACEHOLDER)`, and
    then run with a value in the placeholder's place.

    `build` takes the one value that changes between runs (an id) and uses it once, in a
    filter; the rest of the query must not depend on anything that changes while the
    process runs. Rows come as the database driver gives them, without Django's
    conversions: SQLite answers a condition with 0 or 1 and a moment as text.
    """

    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        self._compiled: dict[str, tuple[str, list, int]] = {}
        _DEFINED.add(self)

    def prepare(self, using: str = DEFAULT_DB_ALIAS) -> None:
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
        sql, params, at = self._sql(using)
        params = [*params]
        params[at] = value
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
