"""Observer calibration: how far observers agree on the same learners."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from areas.design.forms.calibration import CalibrationPeriodForm
from coaching.calibration import FLAG_GAP
from coaching.kept_calibration import calibration_page

from .base import program_for_designer

PAGE_SIZE = 50
# How much of an objective's statement the table shows.
STATEMENT_SHOWN = 60
# Any larger page number is past the end of any program's list.
LAST_PAGE_ASKED = 100_000


@login_required
@require_GET
def calibration(request, pk):
    """How far observers agree when they rate the same learners on the same objective,
    over the period chosen, largest gap first, a page at a time, as of when they were last
    counted (coaching.kept_calibration)."""
    program = program_for_designer(request, pk)
    form = CalibrationPeriodForm(request.GET or None)
    days = form.period()
    context = {"program": program, "form": form, "days": days, "flag": FLAG_GAP}
    if days is not None:
        context["page"] = _page(program, days, request.GET.get("page"))
        context["query"] = f"days={days}"
    return render(request, "design/calibration.html", context)


def _page(program, days, number):
    """The page asked for, or the last one past the end, as Paginator.get_page answers.
    One read gives a page's rows and how many there are in all."""

    def rows_of(page_number):
        return calibration_page(
            program=program, days=days, offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )

    wanted = max(1, min(int(number), LAST_PAGE_ASKED)) if number and number.isdigit() else 1
    found = rows_of(wanted)
    if wanted > 1 and not found.rows:
        # Past the end: kept rows still say how many there are; counted live, the count
        # comes with the first page. Then the last page is read.
        wanted = Paginator(range(found.found or rows_of(1).found), PAGE_SIZE).num_pages
        found = rows_of(wanted)
    page = Paginator(range(found.found), PAGE_SIZE).page(wanted)
    page.object_list = _with_statements_shortened(found.rows)
    page.as_of = found.as_of
    return page


def _with_statements_shortened(rows):
    """Each row with its objective's statement cut to what the table shows, cut once per
    objective: a page holds a few objectives, each on many rows."""
    shortened = {}
    for row in rows:
        statement = row["performance_objective__statement"]
        if statement not in shortened:
            shortened[statement] = Truncator(statement).chars(STATEMENT_SHOWN)
        row["statement_shown"] = shortened[statement]
    return rows
