"""Coaching sessions and the commitments they end in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.support import get_enrolment_or_404, run_command, save_form
from areas.team.forms import CoachingSessionForm, CommitmentFormSet
from coaching.models import Commitment
from coaching.services import coaching_session_record, commitment_settle


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


@login_required
@require_POST
def commitment_settle_view(request, pk, status):
    """Mark a commitment kept or not kept, from the learner's record."""
    commitment = get_object_or_404(Commitment.objects.select_related("session"), pk=pk)
    # Its learner's enrolment decides who may: 404 to whoever cannot see it.
    enrolment = get_enrolment_or_404(
        request.user, commitment.session.enrolment_id, "coaching.settle_commitment"
    )
    run_command(
        request,
        commitment_settle,
        commitment=commitment,
        status=status,
        done=lambda settled: (
            _("Commitment marked %(status)s.") % {"status": settled.get_status_display().lower()}
        ),
    )
    return redirect("team:learner", pk=enrolment.pk)
