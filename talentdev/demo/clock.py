"""Moves the times the demo recorded along with the clock of a later run.

Seeding again a week later must add no rows yet look as current as the first run: recent
feedback windows open, due dates ahead, history as long ago as before. No product service
rewrites when something happened, and none should, so this module is the demo's one direct
write: it sets date and time fields of rows the demo made, and writes nothing else. Every
other write, including what follows from a moved time (such as a window's state), goes
through a service.

Most times are the demo's own plan (an observation three hours before the run) and move to
the plan's time. What progression decided from them (a step's start, completion and due
date, an event, a completion or competency day) was no one's plan: it moves by as much as
the evidence it was decided on moved, so the decisions stand as they were made.
"""

from django.db import models


def move(row, **times):
    """Set the given date or time fields of a stored row to new values, in place.

    Only a time already recorded moves: one not yet recorded stays unrecorded, and none is
    cleared, since recording or undoing an event is a service's work. Returns the row.
    """
    changed = {}
    for name, value in times.items():
        field = row._meta.get_field(name)
        if not isinstance(field, models.DateField) or field.auto_now or field.auto_now_add:
            raise TypeError(f"{row._meta.label}.{name} is not a time the demo records")
        current = getattr(row, name)
        if value is not None and current is not None and value != current:
            changed[name] = value
    if changed:
        type(row)._default_manager.filter(pk=row.pk).update(**changed)
        for name, value in changed.items():
            setattr(row, name, value)
    return row


def shifted(row, by, *names) -> dict:
    """The given date or time fields of a row moved `by` a timedelta, for `move`; a time
    not recorded stays unrecorded."""
    return {name: None if getattr(row, name) is None else getattr(row, name) + by for name in names}
