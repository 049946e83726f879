"""The manager's pages: the team, open feedback windows, observations and feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from areas.support import add_service_errors, render_htmx, require_perm
from areas.team.forms import ObservationForm
from coaching.selectors import team_enrolments, team_page
from coaching.services import observation_log
from talentdev.core.prepared import planned_once


def _team_context(request, form=None):
    team = team_page(manager=request.user, page=request.GET.get("page"))
    # A learner's record links here with ?learner=<enrolment> to observe them.
    learner = request.GET.get("learner", "")
    initial = {"enrolment": learner} if learner.isdigit() else {}
    form = form or ObservationForm(enrolments=team["enrolments"], initial=initial)
    # The drop-down offers the learners on the page shown, and the one asked for or sent
    # even when they are listed on another page.
    offered = list(team["learners"])
    chosen = form.chosen_enrolment()
    if chosen.isdigit() and int(chosen) not in {e.pk for e in offered}:
        offered += team["enrolments"].filter(pk=chosen)
    form.offer(offered)
    return {**team, "form": form}


@login_required
@require_GET
@planned_once("team_home")
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
            observation = observation_log(observer=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logged = _("Observation of %(learner)s logged; feedback is due by %(when)s.") % {
                "learner": enrolment.learner,
                "when": timezone.localtime(observation.feedback_window.closes_at).strftime(
                    "%a %d %b, %H:%M"
                ),
            }
            # Feedback is best given at once: the message leads straight to it.
            message = format_html(
                '{} <a class="alert-link" href="{}">{}</a>',
                logged,
                reverse("team:feedback", args=[observation.pk]),
                _("Give feedback now"),
            )
            if request.htmx:
                context = _team_context(request)
                context["logged"] = message
                return render(request, "team/partials/_observe_response.html", context)
            messages.success(request, message)
            return redirect("team:home")
    context = _team_context(request, form=form)
    return render_htmx(request, "team/home.html", "team/partials/_observe_form.html", context)
