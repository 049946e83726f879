"""Feedback on one observation, inside its window."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.support import require_perm, save_form
from areas.team.forms import FeedbackForm
from coaching.models import Observation
from coaching.services import feedback_give


@login_required
@require_http_methods(["GET", "POST"])
def give_feedback(request, pk):
    """Feedback on one observation: a specific example and its impact on team goals. It is
    given once; afterwards the page shows it instead of the form."""
    # Whether the person may see it is a sub-select of its own: joined with what the page
    # reads, the nine tables took PostgreSQL longer to plan than to run.
    seen = Observation.objects.visible_to(request.user).filter(pk=pk).values("pk")
    observation = get_object_or_404(
        Observation.objects.select_related(
            "learner", "observer", "performance_objective", "feedback_window", "enrolment"
        ),
        pk__in=seen,
    )
    require_perm(request.user, "coaching.give_feedback", observation)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feedback = save_form(
            request,
            form,
            feedback_give,
            observation=observation,
            giver=request.user,
            **form.cleaned_data,
        )
        if feedback is not None:
            if feedback.inside_window:
                messages.success(request, _("Feedback delivered inside the window."))
            else:
                messages.warning(
                    request, _("Feedback recorded, but after the window closed: it counts as late.")
                )
            return redirect("team:home")
    return render(
        request,
        "team/feedback.html",
        {
            "observation": observation,
            "window": observation.feedback_window,
            "form": form,
            "given": observation.feedback.select_related("giver").first(),
        },
    )
