"""A program's roster: its learners against the steps of a pathway version, filtered,
paged, and as a CSV."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Expression, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from areas.design.forms.roster import RosterFilter
from areas.support import csv_line, text_chunks, url_for_each
from people.models import shown_name
from programs.models import Enrolment, StepProgress
from programs.roster import (
    RosterRow,
    roster_enrolments,
    roster_lines,
    roster_pathway,
    roster_rows,
    roster_versions,
)
from talentdev.core import csv_sql

from .base import program_for_designer

PAGE_SIZE = 50
CSV_BATCH = 1000


@login_required
@require_GET
def roster(request, pk):
    """Learners × steps: status, due and overdue, who is stuck, who is competent."""
    program = program_for_designer(request, pk)
    pathway = roster_pathway(program=program, version=request.GET.get("version", ""))
    context = {"program": program, "pathway": pathway}
    if pathway is None:
        return render(request, "design/roster.html", context)
    filters = RosterFilter(
        request.GET, queryset=roster_enrolments(pathway=pathway), program=program
    )
    steps = list(pathway.steps.order_by("position"))
    # A filter that cannot be read lists nobody rather than everybody: the list would be
    # taken for the filtered one.
    enrolments = filters.qs if filters.is_valid() else filters.queryset.none()
    if request.GET.get("format") == "csv":
        return _csv(program, pathway, enrolments, steps)
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context |= {
        "filters": filters,
        "steps": steps,
        "page": page,
        "rows": _page_lines(roster_rows(page.object_list, steps), program),
        "versions": roster_versions(program=program),
        "query": query.urlencode(),
    }
    return render(request, "design/roster.html", context)


def _csv(program, pathway, enrolments, steps):
    """Every filtered learner in one pass, in the same queries at any length, streamed as
    it is read: the database writes each learner's line and each cell as CSV text, and
    only the text of a long roster's cells is held whole."""
    # Labels translated and the time zone found once, for the database to write.
    status_labels = _labels(Enrolment.Status)
    step_labels = _labels(StepProgress.Status)
    zone = timezone.get_current_timezone()

    def cell(progress, overdue):
        return csv_sql.field(_cell(progress, overdue, step_labels, zone))

    header = [
        "learner",
        "email",
        "cohort",
        "supervisor",
        "status",
        "enrolled on",
        "last progress",
        "completed on",
        "competent on",
        *(f"step {step.position}: {step.title}" for step in steps),
    ]

    def lines():
        yield csv_line(header)
        for text, cells in roster_lines(
            enrolments, steps, line=_line(status_labels, zone), cell=cell, chunk=CSV_BATCH
        ):
            yield ",".join((text, *cells)) + csv_sql.LINE_END

    response = StreamingHttpResponse(text_chunks(lines()), content_type="text/csv; charset=utf-8")
    name = f"{program.slug}-roster-v{pathway.version}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _line(status_labels: dict[str, str], zone) -> Expression:
    """A learner's fields before the steps, as the database writes them: what people typed
    guarded against spreadsheet formulas, then the labels and the days (the day it last
    moved where the reader is, as RosterRow.last_moved_on)."""
    return csv_sql.line(
        csv_sql.typed_field(shown_name("learner__")),
        csv_sql.typed_field(F("learner__email")),
        csv_sql.typed_field(F("cohort__name")),
        csv_sql.typed_field(shown_name("supervisor__")),
        csv_sql.field(
            Case(*(When(status=value, then=Value(text)) for value, text in status_labels.items()))
        ),
        _day(F("enrolled_on")),
        _day(TruncDate("last_moved", tzinfo=zone)),
        _day(F("completed_on")),
        _day(F("competent_on")),
    )


def _day(value) -> Expression:
    # ISO text in both databases, as date.isoformat(); none: empty
    return Coalesce(Cast(value, output_field=CharField()), Value(""))


def _labels(choices) -> dict[str, str]:
    return {choice.value: str(choice.label) for choice in choices}


def _cell(progress: str, overdue: Q, labels: dict[str, str], zone) -> Expression:
    """A step's cell of the CSV as the database writes it from the fields of its progress
    (`progress` + "status", …): "Completed (2026-03-04)", the day where the reader is;
    "Skipped"; "In progress (due 2026-04-01, overdue)"."""
    status, due_on = f"{progress}status", f"{progress}due_on"

    def day(value):
        # ISO text in both databases, as date.isoformat()
        return Cast(value, output_field=CharField())

    after_label = Case(
        When(
            **{status: StepProgress.Status.COMPLETED},
            then=Concat(
                Value(" ("), day(TruncDate(f"{progress}completed_at", tzinfo=zone)), Value(")")
            ),
        ),
        When(
            Q(**{f"{status}__in": StepProgress.DONE_STATUSES}) | Q(**{f"{due_on}__isnull": True}),
            then=Value(""),
        ),
        When(overdue, then=Concat(Value(" (due "), day(F(due_on)), Value(", overdue)"))),
        default=Concat(Value(" (due "), day(F(due_on)), Value(")")),
    )
    label = Case(*(When(**{status: value}, then=Value(text)) for value, text in labels.items()))
    return Concat(label, after_label, output_field=CharField())


@dataclass(frozen=True)
class _PageLine:
    """A learner's row of the page with what it shows worked out: its links, its status and
    days in words, and its cells as HTML."""

    row: RosterRow
    learner_url: str
    manage_url: str
    status: str
    cells: str
    last_moved_on: str
    competent_on: str


def _page_lines(rows: list[RosterRow], program) -> list[_PageLine]:
    """The page's rows, written here rather than by the template's tags and filters for each
    of them (links reversed, days formatted, a cell per step), which cost more than all the
    page's queries."""
    days = _Days()
    zone = timezone.get_current_timezone()
    status_labels = _labels(Enrolment.Status)
    learner_url = url_for_each("team:learner")
    manage_url = url_for_each("design:enrolment", program.pk)
    return [
        _PageLine(
            row=row,
            learner_url=learner_url(row.enrolment.pk),
            manage_url=manage_url(row.enrolment.pk),
            status=status_labels[row.enrolment.status],
            cells=_cells_html(row.cells, days, zone),
            last_moved_on=days.long(row.last_moved_on) if row.last_moved_on else "",
            competent_on=days.long(row.enrolment.competent_on)
            if row.enrolment.competent_on
            else "",
        )
        for row in rows
    ]


CELL = '<td class="text-center text-nowrap small">{}</td>'
NO_ROW = '<span class="text-body-secondary">–</span>'
MARKS = {
    StepProgress.Status.SKIPPED: (
        '<span title="Skipped">↷</span><span class="visually-hidden">Skipped</span>'
    ),
    StepProgress.Status.IN_PROGRESS: (
        '<span class="text-primary" title="In progress">●</span>'
        '<span class="visually-hidden">In progress</span>'
    ),
    StepProgress.Status.NOT_STARTED: (
        '<span class="text-body-secondary" title="Not started">○</span>'
        '<span class="visually-hidden">Not started</span>'
    ),
}


class _Days:
    """Days as the page writes them ("3 Nov", "3 Nov 2026", as the date filter's "j M" and
    "j M Y"), with the month names translated once for the page rather than for every day."""

    def __init__(self):
        self.months = [date_format(dt.date(2000, month, 1), "M") for month in range(1, 13)]

    def short(self, day: dt.date) -> str:
        return f"{day.day} {self.months[day.month - 1]}"

    def long(self, day: dt.date) -> str:
        return f"{self.short(day)} {day.year}"


def _cells_html(cells, days: _Days, zone) -> str:
    """A learner's row of cells: ✓ completed (when), ↷ skipped, ● in progress (due when),
    ○ not started; ! and red when overdue."""
    # Safe: constant markup around days, each escaped.
    return mark_safe("".join(CELL.format(_cell_html(cell, days, zone)) for cell in cells))  # noqa: S308


def _cell_html(cell, days: _Days, zone) -> str:
    if cell.status is None:
        return NO_ROW
    if cell.status == StepProgress.Status.COMPLETED:
        day = escape(days.long(cell.completed_at.astimezone(zone).date()))
        return (
            f'<span class="text-success" title="Completed {day}">✓</span>'
            f'<span class="visually-hidden">Completed {day}</span>'
        )
    mark = MARKS[cell.status]
    shows_due = cell.due_on and (cell.is_overdue or cell.status == StepProgress.Status.IN_PROGRESS)
    if not shows_due:
        return mark
    due = escape(days.short(cell.due_on))
    if cell.is_overdue:
        return (
            f'{mark}<div class="text-danger fw-bold">!{due}'
            '<span class="visually-hidden">overdue</span></div>'
        )
    return f'{mark}<div class="text-body-secondary">{due}</div>'
