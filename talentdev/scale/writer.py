"""Rows written with PostgreSQL's COPY, their ids given here, parents before children."""

import datetime as dt
import io
import json
import time

from django.db import connection

# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
FLUSH_BYTES = 48 * 2**20


def _cell(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value.total_seconds()} seconds"
    if isinstance(value, dict | list):
        return json.dumps(value).translate(_ESCAPES)
    return str(value)


class Table:
    """One model's rows waiting to be copied, with the fields each row gives in order."""

    def __init__(self, model, fields):
        self.model = model
        self.name = model._meta.db_table
        self.columns = [model._meta.get_field(name).column for name in fields]
        self.width = len(fields)
        self.buffer = io.StringIO()
        self.pending = 0
        self.written = 0
        self.next_id = None

    def add(self, row) -> None:
        if len(row) != self.width:
            raise ValueError(f"{self.name}: {len(row)} values for {self.width} columns")
        self.buffer.write("\t".join(map(_cell, row)))
        self.buffer.write("\n")
        self.pending += 1


class Writer:
    """Copies rows into the tables, in the order the tables were declared (parents first), so
    every foreign key points at a row already written. Ids come from `new_id`, counted on
    from the largest id a table already holds; the sequences are moved past them at the end.
    """

    def __init__(self):
        self.tables: dict = {}
        self.seconds_copying = 0.0

    def table(self, model, fields) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, fields)
        return self.tables[model]

    def new_id(self, model) -> int:
        table = self.tables[model]
        if table.next_id is None:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"')  # noqa: S608
                table.next_id = cursor.fetchone()[0] + 1
        table.next_id += 1
        return table.next_id - 1

    def add(self, model, *row) -> None:
        table = self.tables[model]
        table.add(row)
        if table.buffer.tell() > FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Copy every table's waiting rows, parents first."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in self.tables.values():
                if not table.pending:
                    continue
                table.buffer.seek(0)
                columns = ", ".join(f'"{c}"' for c in table.columns)
                cursor.cursor.copy_expert(
                    f'COPY "{table.name}" ({columns}) FROM STDIN', table.buffer
                )
                table.written += table.pending
                table.pending = 0
                table.buffer = io.StringIO()
        self.seconds_copying += time.perf_counter() - started

    def finish(self) -> None:
        """Copy what is left and move each id sequence past the ids given here."""
        self.flush()
        with connection.cursor() as cursor:
            for table in self.tables.values():
                if table.next_id is not None:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                        [f'"{table.name}"', table.next_id - 1],
                    )

    def written(self, model) -> int:
        table = self.tables.get(model)
        return table.written + table.pending if table else 0
