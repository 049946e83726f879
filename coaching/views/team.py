"""The manager's pages: the team, open feedback windows, observations and feedback."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.forms import FeedbackForm, ObservationForm
from coaching.models import Observation
from coaching.selectors import open_windows_for, team_enrolments
from coaching.services import feedback_give, observation_log
from programs.models import Assignment
from talentdev.views_support import add_service_errors, get_visible_or_404, require_perm

# Windows closing sooner than this are flagged on the team page.
SOON = timedelta(hours=4)


def _team_context(request, form=None):
    now = timezone.now()
    enrolments = team_enrolments(manager=request.user)
    return {
        "enrolments": enrolments,
        "windows": open_windows_for(manager=request.user),
        "awaiting_review": Assignment.objects.filter(
            status=Assignment.Status.SUBMITTED, enrolment__in=enrolments.values("pk")
        )
        .select_related("enrolment__learner")
        .order_by("submitted_at"),
        "form": form or ObservationForm(enrolments=enrolments),
        "now": now,
        "soon": now + SOON,
    }


@login_required
@require_GET
def home(request):
    """My team: learners and their progress, open windows by time left, evidence to review."""
    return render(request, "team/home.html", _team_context(request))


@login_required
@require_GET
def objective_options(request):
    """The performance objectives of the chosen learner's program, as <option>s (htmx)."""
    form = ObservationForm(
        enrolments=team_enrolments(manager=request.user),
        initial={"enrolment": request.GET.get("enrolment", "")},
    )
    return render(request, "team/partials/_objective_options.html", {"form": form})


@login_required
@require_POST
def observe(request):
    """Log an observation; the feedback window opens at once."""
    enrolments = team_enrolments(manager=request.user)
    form = ObservationForm(request.POST, enrolments=enrolments)
    if form.is_valid():
        enrolment = form.cleaned_data["enrolment"]
        require_perm(request.user, "coaching.log_observation", enrolment)
        try:
            observation = observation_log(
                observer=request.user,
                enrolment=enrolment,
                performance_objective=form.cleaned_data["performance_objective"],
                rating=form.cleaned_data["rating"],
                behaviour=form.cleaned_data["behaviour"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("Observation of %(learner)s logged; feedback is due by %(when)s.") % {
                "learner": enrolment.learner,
                "when": timezone.localtime(observation.feedback_window.closes_at).strftime(
                    "%a %d %b, %H:%M"
                ),
            }
            if request.htmx:
                context = _team_context(request)
                context["logged"] = message
                return render(request, "team/partials/_observe_response.html", context)
            messages.success(request, message)
            return redirect("team:home")
    context = _team_context(request, form=form)
    if request.htmx:
        return render(request, "team/partials/_observe_form.html", context)
    return render(request, "team/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def give_feedback(request, pk):
    """Feedback on one observation: a specific example and its impact on team goals."""
    observation = get_visible_or_404(
        Observation.objects.select_related(
            "learner", "observer", "performance_objective", "feedback_window", "enrolment"
        ),
        request.user,
        pk=pk,
    )
    require_perm(request.user, "coaching.give_feedback", observation)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = feedback_give(
                observation=observation, giver=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
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
        {"observation": observation, "window": observation.feedback_window, "form": form},
    )
