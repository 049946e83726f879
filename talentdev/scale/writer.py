"""Rows written with PostgreSQL's COPY, their ids given here, parents before children."""

import datetime as dt
import io
import json
import queue
import random
import threading
import time
import uuid
from decimal import Decimal

from django.db import connection

from talentdev.core.models import PublicIdModel

# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
FLUSH_BYTES = 48 * 2**20


def _escaped(value: str) -> str:
    return value.translate(_ESCAPES)


def _json(value) -> str:
    return json.dumps(value).translate(_ESCAPES)


def _interval(value: dt.timedelta) -> str:
    return f"{value.total_seconds()} seconds"


# How each type of value is written, found by its exact type: quicker than asking each
# value what it is, and this runs for every one of some sixty million values.
_FORMATS = {
    type(None): lambda _value: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    float: repr,
    Decimal: str,
    uuid.UUID: str,
    str: _escaped,
    dt.datetime: dt.datetime.isoformat,
    dt.date: dt.date.isoformat,
    dt.timedelta: _interval,
    dict: _json,
    list: _json,
}


def _cell(value) -> str:
    try:
        return _FORMATS[type(value)](value)
    except KeyError:
        # A subclass, such as a model's choice: written as the base type, learnt once.
        kind = type(value)
        base = next(b for b in (bool, int, str, dt.datetime, dt.date) if issubclass(kind, b))
        _FORMATS[kind] = lambda value: _FORMATS[base](base(value))
        return _cell(value)


class Table:
    """One model's rows waiting to be copied, with the fields each row gives in order; a
    model with a public id is given its `uuid` after them, as saving would give it one."""

    def __init__(self, model, fields):
        self.model = model
        self.name = model._meta.db_table
        self.width = len(fields)
        self.public_id = issubclass(model, PublicIdModel) and "uuid" not in fields
        if self.public_id:
            fields = (*fields, "uuid")
        self.columns = [model._meta.get_field(name).column for name in fields]
        self.buffer = io.StringIO()
        self.pending = 0
        self.written = 0
        self.next_id = None
        self.analyzed = 0  # rows written when its statistics were last refreshed

    def add(self, row, public_id=None) -> None:
        if len(row) != self.width:
            raise ValueError(f"{self.name}: {len(row)} values for {self.width} columns")
        self.buffer.write("\t".join(map(_cell, row)))
        if public_id is not None:
            self.buffer.write(f"\t{public_id}")
        self.buffer.write("\n")
        self.pending += 1


class Writer:
    """Copies rows into the tables, in the order the tables were declared (parents first), so
    every foreign key points at a row already written. Ids come from `new_id`, counted on
    from the largest id a table already holds; the sequences are moved past them at the end.

    The copying runs on a thread of its own, with its own database connection, while the
    next rows are generated: the two take about as long as each other.
    """

    def __init__(self, *, seed: int = 1):
        self.tables: dict = {}
        self.seconds_copying = 0.0
        # Public ids come from a stream of their own: the same seed gives the same ids, and
        # every other generated figure stays what the seed made before rows had them.
        self._public_ids = random.Random(f"public ids {seed}")  # noqa: S311 - not secrets
        self._batches = queue.Queue(maxsize=2)  # bounds the rows held in memory
        self._thread = None
        self._error = None

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

    def public_id(self):
        """A version 4 uuid for a row's `uuid`, which other systems know it by."""
        return uuid.UUID(int=self._public_ids.getrandbits(128), version=4)

    def add(self, model, *row) -> None:
        table = self.tables[model]
        table.add(row, self.public_id() if table.public_id else None)
        if table.buffer.tell() > FLUSH_BYTES:
            self.flush()

    def flush(self, *, wait: bool = False) -> None:
        """Hand every table's waiting rows to the copying thread, parents first; with
        `wait`, return once everything handed over is in the database."""
        batch = []
        for table in self.tables.values():
            if table.pending:
                columns = ", ".join(f'"{c}"' for c in table.columns)
                statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
                table.written += table.pending
                # Planner statistics that still say "a few rows" make every foreign-key
                # check against the table a scan of it: refresh them each time it doubles.
                grown = table.written > 2 * table.analyzed + 1000
                if grown:
                    table.analyzed = table.written
                batch.append((statement, table.buffer, table.name if grown else None))
                table.pending, table.buffer = 0, io.StringIO()
        if self._thread is None:
            self._thread = threading.Thread(target=self._copy, name="seed-scale-copy", daemon=True)
            self._thread.start()
        if batch:
            self._batches.put(batch)
        if wait:
            self._batches.join()
        if self._error is not None:
            raise self._error

    def _copy(self) -> None:
        try:
            while (batch := self._batches.get()) is not None:
                try:
                    if self._error is None:
                        started = time.perf_counter()
                        with connection.cursor() as cursor:
                            for statement, buffer, analyze in batch:
                                buffer.seek(0)
                                cursor.cursor.copy_expert(statement, buffer)
                                if analyze:
                                    cursor.execute(f'ANALYZE "{analyze}"')
                        if any(analyze for _s, _b, analyze in batch):
                            connection.close()  # the checks' cached plans go with it
                        self.seconds_copying += time.perf_counter() - started
                except Exception as error:  # raised in the building thread at its next flush
                    self._error = error
                finally:
                    self._batches.task_done()
            self._batches.task_done()
        finally:
            connection.close()  # this thread's own connection

    def finish(self) -> None:
        """Copy what is left, stop the copying thread and move each id sequence past the
        ids given here."""
        self.flush(wait=True)
        self._batches.put(None)
        self._thread.join()
        self._thread = None
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
