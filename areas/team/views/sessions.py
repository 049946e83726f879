"""Coaching sessions and the commitments they end in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.support import get_enrolment_or_404, save_form
from areas.team.forms import CoachingSessionForm, CommitmentFormSet
from coaching.services import coaching_session_record


@login_required
@require_http_methods(["GET", "POST"])
def coaching_session(request, pk):
    """Record a coaching session and the commitments, with measurable targets, it ended in."""
    enrolment = get_enrolment_or_404(request.user, pk, "coaching.hold_session")
    form = CoachingSessionForm(request.POST or None)
    commitments = CommitmentFormSet(request.POST or None, prefix="commitments")
    if request.method == "POST" and form.is_valid() and commitments.is_valid():
        if save_form(
            request,
            form,
            coaching_session_record,
            enrolment=enrolment,
            coach=request.user,
            held_at=timezone.now(),
            commitments=[c for c in commitments.cleaned_data if c],
            **form.cleaned_data,
            done=_("Coaching session recorded."),
        ):
            return redirect("team:home")
    return render(
        request,
        "team/coaching_session.html",
        {"enrolment": enrolment, "form": form, "commitments": commitments},
    )
