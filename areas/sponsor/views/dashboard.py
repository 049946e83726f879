"""A program's outcome dashboard and its tables as CSV."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from areas.support import csv_response, get_program_or_404
from measurement import exports
from measurement.dashboard import program_dashboard
from measurement.privacy import MIN_GROUP

# The dashboard's tables, in the order the page shows them, as offered for download.
CSV_TABLES = [
    ("snapshot", gettext_lazy("Latest review figures")),
    ("proficiency", gettext_lazy("Proficiency change")),
    ("funnel", gettext_lazy("Pathway completion by step")),
    ("time_to_competency", gettext_lazy("Time to competency")),
    ("knows_and_does", gettext_lazy("Knows and does")),
    ("experiences", gettext_lazy("Which experiences go with better results")),
    ("stories", gettext_lazy("Success stories")),
    ("roi", gettext_lazy("Return on investment")),
    ("metrics", gettext_lazy("Outcome metrics by month")),
    ("reviews", gettext_lazy("Past reviews")),
]


def sponsored_program(request, pk):
    return get_program_or_404(request.user, pk, "measurement.review_program")


@login_required
@require_GET
def dashboard(request, pk):
    """Outcome metrics against baseline and target, and the latest rolled-up review."""
    program = sponsored_program(request, pk)
    context = {
        "program": program,
        "min_group": MIN_GROUP,
        # how a group too small to count shows its size
        "few_label": f"< {MIN_GROUP}",
        "csv_tables": CSV_TABLES,
        **program_dashboard(program=program),
    }
    return render(request, "sponsor/dashboard.html", context)


@login_required
@require_GET
def export(request, pk, table):
    """One dashboard table as CSV, with the same suppression as on screen."""
    rows = exports.DASHBOARD_TABLES.get(table)
    if rows is None:
        raise Http404
    program = sponsored_program(request, pk)
    return csv_response(
        f"{program.slug}-{table}", map(exports.safe_row, rows(program_dashboard(program=program)))
    )
