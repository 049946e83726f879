"""A program's roster: its learners against the steps of a pathway version, filtered,
paged, and as a CSV."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from areas.design.forms.roster import RosterFilter
from areas.support import csv_lines
from measurement.exports import safe_row
from programs.models import StepProgress
from programs.roster import roster_enrolments, roster_pathway, roster_rows, roster_versions

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
        "rows": roster_rows(page.object_list, steps),
        "versions": roster_versions(program=program),
        "query": query.urlencode(),
    }
    return render(request, "design/roster.html", context)


def _csv(program, pathway, enrolments, steps):
    """Every filtered learner, a batch of rows at a time: a long roster is never held whole."""

    def rows():
        yield [
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
        pages = Paginator(enrolments, CSV_BATCH)
        for number in pages.page_range:
            for row in roster_rows(pages.page(number).object_list, steps):
                e = row.enrolment
                yield safe_row(
                    [
                        e.learner.get_full_name() or e.learner.username,
                        e.learner.email,
                        e.cohort.name if e.cohort else "",
                        str(e.supervisor or ""),
                        e.get_status_display(),
                        e.enrolled_on.isoformat(),
                        row.last_moved_on.isoformat() if row.last_moved_on else "",
                        e.completed_on.isoformat() if e.completed_on else "",
                        e.competent_on.isoformat() if e.competent_on else "",
                        *(_cell(cell) for cell in row.cells),
                    ]
                )

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    name = f"{program.slug}-roster-v{pathway.version}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _cell(cell) -> str:
    progress = cell.progress
    if progress is None:
        return ""
    text = progress.get_status_display()
    if progress.status == StepProgress.Status.COMPLETED:
        return f"{text} ({timezone.localdate(progress.completed_at).isoformat()})"
    if progress.status in StepProgress.DONE_STATUSES or not progress.due_on:
        return text
    overdue = ", overdue" if cell.is_overdue else ""
    return f"{text} (due {progress.due_on.isoformat()}{overdue})"
