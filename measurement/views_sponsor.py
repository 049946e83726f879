"""The sponsor's pages: programs overview, a program's outcome dashboard, reviews."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from measurement import exports
from measurement.models import SponsorReview
from measurement.privacy import MIN_GROUP
from measurement.roi import program_roi
from measurement.selectors import program_dashboard, sponsor_overview
from measurement.services import review_comment_add, review_decision_add, review_mark_reviewed
from people.models import User
from programs.models import Program
from talentdev.views_support import add_service_errors, get_visible_or_404, require_perm

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


class CommentForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("Decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("e.g. Recalibrate the pathway: add a practice step on …"),
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due"), widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
@require_GET
def home(request):
    """Every program the person sponsors with its headline figures, and their totals."""
    context = {**sponsor_overview(user=request.user), "min_group": MIN_GROUP}
    return render(request, "sponsor/home.html", context)


def _program(request, pk):
    program = get_visible_or_404(Program.objects.all(), request.user, pk=pk)
    require_perm(request.user, "measurement.review_program", program)
    return program


def _dashboard(program):
    data = program_dashboard(program=program)
    data["roi"] = program_roi(program=program, series=data["metrics"])
    return data


@login_required
@require_GET
def dashboard(request, pk):
    """Outcome metrics against baseline and target, and the latest rolled-up review."""
    program = _program(request, pk)
    context = {
        "program": program,
        "min_group": MIN_GROUP,
        "csv_tables": CSV_TABLES,
        **_dashboard(program),
    }
    return render(request, "sponsor/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """A review as it was rolled up; sponsors comment, decide and mark it reviewed."""
    review = get_visible_or_404(
        SponsorReview.objects.select_related("program", "reviewed_by"), request.user, pk=pk
    )
    require_perm(request.user, "measurement.review_program", review.program)
    comment_form, decision_form = CommentForm(), DecisionForm()
    if request.method == "POST":
        form_class, service = {
            "comment": (CommentForm, review_comment_add),
            "decision": (DecisionForm, review_decision_add),
        }[request.POST.get("form", "comment")]
        form = form_class(request.POST)
        if form_class is CommentForm:
            comment_form = form
        else:
            decision_form = form
        if form.is_valid():
            actor = {"author" if form_class is CommentForm else "decided_by": request.user}
            try:
                service(review=review, **actor, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved to the review."))
                return redirect("sponsor:review", pk=review.pk)
    return render(
        request,
        "sponsor/review.html",
        {
            "review": review,
            "snapshot": review.snapshot,
            "comments": review.comments.select_related("author"),
            "decisions": review.decisions.select_related("owner", "decided_by"),
            "comment_form": comment_form,
            "decision_form": decision_form,
            "min_group": MIN_GROUP,
        },
    )


@login_required
@require_POST
def review_close(request, pk):
    review = get_visible_or_404(
        SponsorReview.objects.select_related("program"), request.user, pk=pk
    )
    require_perm(request.user, "measurement.review_program", review.program)
    try:
        review_mark_reviewed(review=review, reviewer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as reviewed. It stays readable as it is now."))
    return redirect("sponsor:review", pk=review.pk)


def _csv_response(filename, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    csv.writer(response).writerows(map(exports.safe_row, rows))
    return response


@login_required
@require_GET
def export(request, pk, table):
    """One dashboard table as CSV, with the same suppression as on screen."""
    rows = exports.DASHBOARD_TABLES.get(table)
    if rows is None:
        raise Http404
    program = _program(request, pk)
    return _csv_response(f"{program.slug}-{table}", rows(_dashboard(program)))


@login_required
@require_GET
def overview_export(request):
    """The overview of every sponsored program as CSV."""
    return _csv_response(
        "sponsored-programs", exports.overview(sponsor_overview(user=request.user))
    )
