"""The sponsor's overview of every program they sponsor."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from areas.support import csv_response
from measurement import exports
from measurement.overview import sponsor_overview
from measurement.privacy import MIN_GROUP


@login_required
@require_GET
def home(request):
    """The programs the person sponsors with their headline figures, a page at a time, and
    the totals over all of them."""
    overview = sponsor_overview(user=request.user, page=request.GET.get("page") or "1")
    context = {**overview, "min_group": MIN_GROUP}
    return render(request, "sponsor/home.html", context)


@login_required
@require_GET
def overview_export(request):
    """The overview of every sponsored program as CSV."""
    rows = exports.overview(sponsor_overview(user=request.user))
    return csv_response("sponsored-programs", map(exports.safe_row, rows))
