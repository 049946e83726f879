"""A record's audit history as people read it: a page of its changes, newest first, each
with who made it, through which channel, and every field's old and new value in words.

A page is read in a fixed number of queries whatever its length: its rows (and the one
before them, to compare the oldest with), then the names of the rows its keys point to,
one query per related model.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .audit import history_of
from .channel import Channel
from .paging import LAST_PAGE_READ, Window

# Fields every row has and nobody edits: the key and the public id.
_NOT_SHOWN = {"id", "uuid"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    """One historical row, read: when, who, how, and what it changed."""

    at: dt.datetime
    kind: str  # "created", "changed" or "deleted"
    who: str
    channel: str
    fields: list[FieldChange] = field(default_factory=list)
    # What changed that no field holds: links added or removed (audit.record_links).
    note: str = ""


def is_tracked(model) -> bool:
    return history_of(model) is not None


def history_exists(model, pk) -> bool:
    return history_of(model).objects.filter(id=pk).exists()


def changes_page(model, pk, page, size: int) -> Window:
    """Page `page` (as typed in a link) of the changes to row `pk` of `model`, newest first."""
    historical = history_of(model)
    number = int(page) if str(page or "").isdigit() and 0 < int(page) <= LAST_PAGE_READ else 1
    rows_of = (
        historical.objects.filter(id=pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    start = (number - 1) * size
    # One row past the page: it tells whether another page follows, and it is the state
    # the page's oldest change is compared with.
    rows = list(rows_of[start : start + size + 1])
    if not rows and number > 1:
        return changes_page(model, pk, 1, size)
    shown = _shown_fields(historical)
    names = _names(shown, rows)
    changes = [
        _change(row, rows[index + 1] if index + 1 < len(rows) else None, shown, names)
        for index, row in enumerate(rows[:size])
    ]
    return Window(object_list=changes, number=number, has_next=len(rows) > size)


def _shown_fields(historical) -> list[models.Field]:
    return [f for f in historical.tracked_fields if f.name not in _NOT_SHOWN]


def _names(shown, rows) -> dict:
    """{(related model, pk): name} for every key the rows hold, one query per model."""
    wanted: dict = {}
    for f in shown:
        if f.is_relation:
            ids = {getattr(row, f.attname) for row in rows} - {None}
            wanted.setdefault(f.related_model, set()).update(ids)
    names = {}
    for related, ids in wanted.items():
        if not ids:
            continue
        # Each name may read the rows its own keys point to (an enrolment is its learner
        # in its program): joined here, not read one by one.
        joined = [f.name for f in related._meta.concrete_fields if f.is_relation and f.many_to_one]
        found = related._base_manager.select_related(*joined).in_bulk(ids)
        for pk, obj in found.items():
            names[(related, pk)] = str(obj)
    return names


def _change(row, before, shown, names) -> Change:
    kind = {"+": "created", "-": "deleted"}.get(row.history_type, "changed")
    if kind == "changed" and before is None:
        kind = "recorded"  # the first row kept of a record older than its history
    if kind == "created" or before is None:
        # What it started with (or, kept from before the history began, what it held).
        fields = [
            FieldChange(_label(f), "", _value(f, getattr(row, f.attname), names))
            for f in shown
            if getattr(row, f.attname) not in (None, "")
        ]
    elif kind == "deleted":
        fields = []
    else:
        fields = [
            FieldChange(
                _label(f),
                _value(f, getattr(before, f.attname), names),
                _value(f, getattr(row, f.attname), names),
            )
            for f in shown
            if getattr(row, f.attname) != getattr(before, f.attname)
        ]
    return Change(
        at=row.history_date,
        kind=kind,
        who=_who(row),
        channel=Channel(row.history_channel).label if row.history_channel else "",
        fields=fields,
        note=row.history_change_reason or "",
    )


def _who(row) -> str:
    if row.history_user is not None:
        return str(row.history_user)
    source = row.history_source
    match row.history_channel:
        case Channel.API:
            return _("HR system: %(client)s") % {"client": source or _("unknown")}
        case Channel.JOB:
            return _("Job: %(task)s") % {"task": source or _("unknown")}
        case Channel.COMMAND:
            return _("Command: %(command)s") % {"command": source or _("unknown")}
        case Channel.ADMIN:
            return _("Admin")
    return _("System")


def _label(f) -> str:
    return str(capfirst(f.verbose_name))


def _value(f, value, names) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value)) or _("#%(pk)s (deleted)") % {"pk": value}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, Decimal):
        # 1200.0000 reads 1200, 12.5000 reads 12.5.
        return str(int(value)) if value == value.to_integral_value() else str(value.normalize())
    return str(value)
