"""The learner's pages: their pathway and their on-the-job assignments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programs.forms_learner import EvidenceForm, PresentationForm
from programs.models import Assignment, SuccessCriterion
from programs.selectors import (
    assignments_for_learner,
    objectives_for_learner,
    pathways_for_learner,
)
from programs.services import assignment_record_presentation, assignment_submit_evidence
from talentdev.views_support import add_service_errors, get_visible_or_404, require_perm


@login_required
def home(request):
    """My pathway: steps in order with status, what is next, what is overdue, what is missing."""
    return render(
        request, "learn/home.html", {"pathways": pathways_for_learner(learner=request.user)}
    )


@login_required
def assignments(request):
    """My assignments: what is due, what is waiting for my evidence, what is done."""
    return render(
        request,
        "learn/assignments.html",
        {
            "assignments": assignments_for_learner(learner=request.user),
            "today": timezone.localdate(),
            "open_statuses": (Assignment.Status.ASSIGNED, Assignment.Status.IN_PROGRESS),
        },
    )


def _assignment(request, pk):
    return get_visible_or_404(
        Assignment.objects.select_related(
            "enrolment__learner", "enrolment__program", "enrolment__supervisor", "step"
        ).prefetch_related(
            Prefetch(
                "success_criteria",
                queryset=SuccessCriterion.objects.select_related("performance_objective"),
            )
        ),
        request.user,
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk):
    """An assignment's brief and criteria; its learner submits evidence and the presentation."""
    assignment = _assignment(request, pk)
    is_learner = request.user.has_perm("programs.submit_evidence", assignment.enrolment)
    evidence_form = EvidenceForm(
        initial={
            "evidence": assignment.evidence,
            "outcome": assignment.outcome,
            "evidence_url": assignment.evidence_url,
        }
    )
    presentation_form = PresentationForm(
        initial={"presented_on": assignment.presented_on, "presented_to": assignment.presented_to}
    )
    if request.method == "POST":
        require_perm(request.user, "programs.submit_evidence", assignment.enrolment)
        if "presented_to" in request.POST:
            presentation_form = PresentationForm(request.POST)
            if presentation_form.is_valid():
                try:
                    assignment_record_presentation(
                        assignment=assignment, **presentation_form.cleaned_data
                    )
                except ValidationError as error:
                    add_service_errors(presentation_form, error)
                else:
                    messages.success(request, _("Presentation recorded."))
                    return redirect("learn:assignment", pk=assignment.pk)
        else:
            evidence_form = EvidenceForm(request.POST)
            if evidence_form.is_valid():
                try:
                    assignment_submit_evidence(assignment=assignment, **evidence_form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(evidence_form, error)
                else:
                    messages.success(
                        request, _("Evidence submitted. Your supervisor can see it now.")
                    )
                    return redirect("learn:assignment", pk=assignment.pk)
    can_submit = is_learner and assignment.status not in (
        Assignment.Status.COMPLETED,
        Assignment.Status.CANCELLED,
    )
    return render(
        request,
        "learn/assignment.html",
        {
            "assignment": assignment,
            "is_learner": is_learner,
            "evidence_form": evidence_form,
            "presentation_form": presentation_form,
            "can_submit": can_submit,
            "can_present": is_learner
            and assignment.status in (Assignment.Status.SUBMITTED, Assignment.Status.COMPLETED),
        },
    )


@login_required
def objectives(request):
    """My objectives: each why with the whats derived from it, and the evidence so far."""
    return render(
        request,
        "learn/objectives.html",
        {"programs": objectives_for_learner(learner=request.user)},
    )
