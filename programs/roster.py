"""The roster of a program: its learners against the steps of one pathway version, with
where each stands, what is overdue, who is stuck and who has reached competency.

The roster of a large program is long: the learners come as a queryset to filter and page,
and only a page's progress is loaded, in one query, whatever the program's size. A download
reads every learner once, the database writing each learner's line and their progress as
the text it shows.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone

from .models import Enrolment, Pathway, ProgressEvent, Step, StepProgress, current_enrolment

# With no progress for this many days, an active learner counts as stuck.
STUCK_AFTER_DAYS = 14


def roster_pathway(*, program, version: str = "") -> Pathway | None:
    """The pathway version a roster shows: the one asked for, else the newest that was
    published (learners join only published versions), else none."""
    versions = program.pathways.exclude(status=Pathway.Status.DRAFT)
    if version.isdigit():
        chosen = versions.filter(version=int(version)).first()
        if chosen is not None:
            return chosen
    return versions.order_by("-version").first()


def roster_versions(*, program):
    """The published and retired versions, newest first, each with how many learners are
    still on it (`learners`): a retired version keeps the learners who started on it."""
    return (
        program.pathways.exclude(status=Pathway.Status.DRAFT)
        .annotate(learners=Count("enrolments", filter=current_enrolment("enrolments__")))
        .order_by("-version")
    )


def roster_enrolments(*, pathway: Pathway):
    """The enrolments on a pathway version, each with when it last moved (`last_moved`: its
    latest progress event, or None), by learner name. Filter with `stuck_since`,
    `with_step_overdue` and the filter set; page it."""
    latest_event = ProgressEvent.objects.filter(enrolment=OuterRef("pk")).order_by("-occurred_at")
    name = ("first_name", "last_name", "username")
    return (
        Enrolment.objects.filter(pathway=pathway)
        .select_related("learner", "supervisor", "cohort")
        # What the page shows: a long roster's sort carries no more than it needs.
        .only(
            *("status", "enrolled_on", "completed_on", "competent_on", "cohort__name"),
            *(f"learner__{field}" for field in (*name, "email")),
            *(f"supervisor__{field}" for field in name),
        )
        .annotate(last_moved=Subquery(latest_event.values("occurred_at")[:1]))
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


def with_step_overdue(*, today=None) -> Q:
    """Enrolments with a step overdue on `today` (StepProgress.overdue_on, asked from the
    enrolment, whose own status is at hand). Apply to `roster_enrolments`; a page's rows
    know which of their steps are overdue from their progress (`RosterCell.is_overdue`)."""
    today = today or timezone.localdate()
    open_late = StepProgress.objects.filter(
        StepProgress.open_and_due_before(today), enrolment=OuterRef("pk")
    )
    return Q(status=Enrolment.Status.ACTIVE) & Q(Exists(open_late))


def stuck_since(days: int, *, today=None) -> Q:
    """Active enrolments that have not moved for `days` days or more, counted in calendar
    days where the reader is (as `RosterRow.days_still`): no progress event after the day
    `days` days ago (or none at all, enrolled by then). Apply to `roster_enrolments`."""
    today = today or timezone.localdate()
    last_day = today - dt.timedelta(days=days)
    # The first moment of the next day, here: anything before it moved on or before last_day.
    cutoff = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))
    return Q(status=Enrolment.Status.ACTIVE) & (
        Q(last_moved__lt=cutoff) | Q(last_moved__isnull=True, enrolled_on__lte=last_day)
    )


class RosterCell(NamedTuple):
    """A learner's progress on one step; `status` is None where they have no row for it.
    (A tuple: a download makes one for every learner and step.)"""

    status: str | None = None
    due_on: dt.date | None = None
    completed_at: dt.datetime | None = None
    is_overdue: bool = False


@dataclass
class RosterRow:
    """One learner on the roster: the enrolment and a cell per step, in pathway order."""

    enrolment: Enrolment
    cells: list[RosterCell]
    today: dt.date

    @cached_property
    def last_moved_on(self) -> dt.date | None:
        """The day (where the reader is) the learner last moved along the pathway, whatever
        their status; None before anything moved. The page and the CSV both show it."""
        moved = self.enrolment.last_moved
        return timezone.localdate(moved) if moved is not None else None

    @cached_property
    def days_still(self) -> int:
        """Days since the learner last moved along the pathway (or enrolled, if never)."""
        return (self.today - (self.last_moved_on or self.enrolment.enrolled_on)).days


def roster_rows(enrolments, steps: list[Step], *, today=None) -> list[RosterRow]:
    """The rows of one page of the roster: one query for the progress of all of them."""
    today = today or timezone.localdate()
    enrolments = list(enrolments)
    cells = _cells_of({e.pk: e.status for e in enrolments}, steps, today)
    return [RosterRow(enrolment=e, cells=cells[e.pk], today=today) for e in enrolments]


def roster_lines(enrolments, steps: list[Step], *, line, cell, chunk: int, today=None):
    """Every learner of a (filtered) roster, in order, as the text the database writes for
    them, for a download of any length: (the learner's `line`, their step cells), in two
    queries whatever its length: the cells of all of them, then the learners, read `chunk`
    at a time (through a server-side cursor on PostgreSQL).

    `line` is an expression of the enrolment (its fields, its learner's and `last_moved`);
    `cell(progress, overdue)` is a step's cell as an expression, from the lookup prefix of
    the step's progress ("progress__") and the condition under which it is overdue
    (StepProgress.overdue_on); a step without progress is empty. Read as Python values and
    written out in Python, a long roster cost several times its queries; held as text, the
    cells of 5,000 learners take a few megabytes."""
    today = today or timezone.localdate()
    overdue = Q(status=Enrolment.Status.ACTIVE) & StepProgress.open_and_due_before(
        today, via="progress__"
    )
    cells = _cell_texts(enrolments, steps, cell("progress__", overdue))
    blank = ("",) * len(steps)
    rows = enrolments.annotate(roster_line=line).values_list("pk", "roster_line")
    for pk, text in rows.iterator(chunk_size=chunk):
        yield text, cells.get(pk, blank)


def _cell_texts(enrolments, steps: list[Step], text) -> dict[int, list[str]]:
    """Each enrolment's cells as `text` writes them, in pathway order, by enrolment id (a
    step without progress: empty); one query, joining each enrolment to its progress."""
    position = {step.pk: index for index, step in enumerate(steps)}
    progress = (
        enrolments.filter(progress__step__in=list(position))
        .order_by()
        .values_list("pk", "progress__step_id", text)
    )
    cells = {}
    for enrolment_id, step_id, value in progress:
        if (row := cells.get(enrolment_id)) is None:
            row = cells[enrolment_id] = [""] * len(steps)
        row[position[step_id]] = value
    return cells


def _cells_of(status_of: dict[int, str], steps: list[Step], today) -> dict[int, list]:
    """Each enrolment's cells, a RosterCell per step in order, by enrolment id (given with
    its status): one query, its progress read as plain values."""
    progress = (
        StepProgress.objects.filter(enrolment__in=list(status_of))
        .annotate(
            late=ExpressionWrapper(
                StepProgress.open_and_due_before(today), output_field=BooleanField()
            )
        )
        .order_by()
        .values_list("enrolment_id", "step_id", "status", "due_on", "completed_at", "late")
    )
    found = {
        (enrolment_id, step_id): RosterCell(status, due_on, completed_at, bool(late))
        for enrolment_id, step_id, status, due_on, completed_at, late in progress
    }
    empty = RosterCell()
    step_ids = [step.pk for step in steps]
    cells = {}
    for enrolment_id, enrolment_status in status_of.items():
        row = [found.get((enrolment_id, step_id), empty) for step_id in step_ids]
        # Overdue as StepProgress.overdue_on says: late, on an enrolment still active.
        if enrolment_status != Enrolment.Status.ACTIVE:
            row = [cell._replace(is_overdue=False) if cell.is_overdue else cell for cell in row]
        cells[enrolment_id] = row
    return cells
