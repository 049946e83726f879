"""The roster of a program: its learners against the steps of one pathway version, with
where each stands, what is overdue, who is stuck and who has reached competency.

The roster of a large program is long: the learners come as a queryset to filter and page,
and only a page's progress is loaded, in one query, whatever the program's size.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
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


def roster_enrolments(*, pathway: Pathway, today=None):
    """The enrolments on a pathway version, each with when it last moved (`last_moved`: its
    latest progress event, or None) and whether a step is overdue (`has_overdue`), by
    learner name. Filter with `stuck_since` and the filter set; page it."""
    today = today or timezone.localdate()
    latest_event = ProgressEvent.objects.filter(enrolment=OuterRef("pk")).order_by("-occurred_at")
    overdue = StepProgress.objects.filter(StepProgress.overdue_on(today), enrolment=OuterRef("pk"))
    return (
        Enrolment.objects.filter(pathway=pathway)
        .select_related("learner", "supervisor", "cohort")
        .annotate(
            last_moved=Subquery(latest_event.values("occurred_at")[:1]),
            has_overdue=Exists(overdue),
        )
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


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


@dataclass(frozen=True)
class RosterCell:
    """A learner's progress on one step (None where they have no row for it)."""

    progress: StepProgress | None
    is_overdue: bool = False


@dataclass
class RosterRow:
    """One learner on the roster: the enrolment and a cell per step, in pathway order."""

    enrolment: Enrolment
    cells: list[RosterCell]
    today: dt.date

    @property
    def last_moved_on(self) -> dt.date | None:
        """The day (where the reader is) the learner last moved along the pathway, whatever
        their status; None before anything moved. The page and the CSV both show it."""
        moved = self.enrolment.last_moved
        return timezone.localdate(moved) if moved is not None else None

    @property
    def days_still(self) -> int:
        """Days since the learner last moved along the pathway (or enrolled, if never)."""
        return (self.today - (self.last_moved_on or self.enrolment.enrolled_on)).days


def roster_rows(enrolments, steps: list[Step], *, today=None) -> list[RosterRow]:
    """The rows of one page of the roster: one query for the progress of all of them."""
    today = today or timezone.localdate()
    enrolments = list(enrolments)
    progress = {
        (row.enrolment_id, row.step_id): row
        for row in StepProgress.objects.filter(enrolment__in=[e.pk for e in enrolments])
    }
    rows = []
    for enrolment in enrolments:
        cells = []
        for step in steps:
            found = progress.get((enrolment.pk, step.pk))
            if found is not None:
                found.enrolment = enrolment  # already loaded: the overdue rule reads it
            overdue = found is not None and found.is_overdue_on(today)
            cells.append(RosterCell(progress=found, is_overdue=overdue))
        rows.append(RosterRow(enrolment=enrolment, cells=cells, today=today))
    return rows
