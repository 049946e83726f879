"""The learner's on-the-job assignments: what is due, the brief, evidence and the presentation."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.learn.forms import CancelAssignmentForm, EvidenceForm, PresentationForm
from areas.support import get_visible_or_404, require_perm, save_form
from coaching.records import assignment_debriefs
from programs.models import Assignment
from programs.selectors import assignment_details, assignments_for_learner
from programs.services import (
    assignment_cancel,
    assignment_record_presentation,
    assignment_submit_evidence,
)

PAGE_SIZE = 20


@login_required
def assignments(request):
    """My assignments: what is due, what is waiting for my evidence, what is done."""
    page = Paginator(assignments_for_learner(learner=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learn/assignments.html",
        {
            "assignments": page,
            "today": timezone.localdate(),
            "open_statuses": Assignment.OPEN_STATUSES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk):
    """An assignment's brief and criteria; its learner submits evidence and the presentation."""
    assignment = get_visible_or_404(assignment_details(), request.user, pk=pk)
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
    cancel_form = CancelAssignmentForm()
    if request.method == "POST" and "reason" in request.POST:
        # The people who give work may take it back; the learner is told why.
        require_perm(request.user, "programs.give_assignment", assignment.enrolment)
        cancel_form = CancelAssignmentForm(request.POST)
        if cancel_form.is_valid() and save_form(
            request,
            cancel_form,
            assignment_cancel,
            assignment=assignment,
            by=request.user,
            reason=cancel_form.cleaned_data["reason"],
            done=_("Assignment cancelled. The learner is told why."),
        ):
            return redirect("learn:assignment", pk=assignment.pk)
    elif request.method == "POST":
        require_perm(request.user, "programs.submit_evidence", assignment.enrolment)
        if "presented_to" in request.POST:
            presentation_form = PresentationForm(request.POST)
            if presentation_form.is_valid():
                if save_form(
                    request,
                    presentation_form,
                    assignment_record_presentation,
                    assignment=assignment,
                    **presentation_form.cleaned_data,
                    done=_("Presentation recorded."),
                ):
                    return redirect("learn:assignment", pk=assignment.pk)
        else:
            evidence_form = EvidenceForm(request.POST)
            if evidence_form.is_valid():
                if save_form(
                    request,
                    evidence_form,
                    assignment_submit_evidence,
                    assignment=assignment,
                    **evidence_form.cleaned_data,
                    done=_("Evidence submitted. Your supervisor can see it now."),
                ):
                    return redirect("learn:assignment", pk=assignment.pk)
    can_submit = is_learner and assignment.status not in Assignment.CLOSED_STATUSES
    return render(
        request,
        "learn/assignment.html",
        {
            "assignment": assignment,
            "is_learner": is_learner,
            "evidence_form": evidence_form,
            "presentation_form": presentation_form,
            "can_submit": can_submit,
            "can_present": is_learner and assignment.status in Assignment.DONE_STATUSES,
            "debriefs": assignment_debriefs(assignment),
            "cancel_form": cancel_form,
            "can_cancel": assignment.status not in Assignment.CLOSED_STATUSES
            and request.user.has_perm("programs.give_assignment", assignment.enrolment),
            # Submitted work waits for its debrief: the people who run it go there from here.
            "can_debrief": assignment.status == Assignment.Status.SUBMITTED
            and request.user.has_perm("coaching.run_debrief", assignment.enrolment),
        },
    )
