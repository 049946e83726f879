"""The manager's pages: the team, open feedback windows, observations and feedback."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.forms import (
    CoachingSessionForm,
    CommitmentFormSet,
    DebriefForm,
    FeedbackForm,
    NextActionFormSet,
    ObservationForm,
    PeerRequestForm,
    PeerResponseForm,
)
from coaching.models import Observation, PeerFeedbackRequest
from coaching.selectors import open_windows_for, team_enrolments
from coaching.services import (
    coaching_session_record,
    debrief_record,
    feedback_give,
    observation_log,
    peer_feedback_request_create,
    peer_feedback_respond,
)
from people.models import User
from programs.models import Assignment, Enrolment
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


def _enrolment_for(request, pk, perm):
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("learner", "program", "supervisor", "coach"),
        request.user,
        pk=pk,
    )
    require_perm(request.user, perm, enrolment)
    return enrolment


@login_required
@require_http_methods(["GET", "POST"])
def debrief(request, pk):
    """A structured debrief after an assignment, one question per success criterion."""
    assignment = get_visible_or_404(
        Assignment.objects.select_related("enrolment__learner", "enrolment__supervisor"),
        request.user,
        pk=pk,
    )
    enrolment = assignment.enrolment
    require_perm(request.user, "coaching.run_debrief", enrolment)
    criteria = assignment.success_criteria.select_related("performance_objective")
    owners = User.objects.filter(pk__in=[enrolment.learner_id, request.user.pk])
    form = DebriefForm(request.POST or None, criteria=criteria)
    actions = NextActionFormSet(
        request.POST or None, prefix="actions", form_kwargs={"owners": owners}
    )
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        notes, verdicts = form.criteria_review()
        data = form.cleaned_data
        try:
            debrief_record(
                enrolment=enrolment,
                assignment=assignment,
                facilitator=request.user,
                held_at=timezone.now(),
                what_happened=f"{data['what_happened']}\n\n{notes}".strip(),
                what_went_well=data["what_went_well"],
                what_to_change=data["what_to_change"],
                lessons=data["lessons"],
                actions=[a for a in actions.cleaned_data if a],
                criteria_verdicts=verdicts,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Debrief recorded with its next actions."))
            return redirect("team:home")
    return render(
        request,
        "team/debrief.html",
        {"assignment": assignment, "form": form, "actions": actions},
    )


@login_required
@require_http_methods(["GET", "POST"])
def coaching_session(request, pk):
    """Record a coaching session and the commitments, with measurable targets, it ended in."""
    enrolment = _enrolment_for(request, pk, "coaching.hold_session")
    form = CoachingSessionForm(request.POST or None)
    commitments = CommitmentFormSet(request.POST or None, prefix="commitments")
    if request.method == "POST" and form.is_valid() and commitments.is_valid():
        try:
            coaching_session_record(
                enrolment=enrolment,
                coach=request.user,
                held_at=timezone.now(),
                commitments=[c for c in commitments.cleaned_data if c],
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Coaching session recorded."))
            return redirect("team:home")
    return render(
        request,
        "team/coaching_session.html",
        {"enrolment": enrolment, "form": form, "commitments": commitments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_request(request, pk):
    """Ask a peer for feedback on a learner, named or anonymous to the learner."""
    enrolment = _enrolment_for(request, pk, "coaching.request_peer_feedback")
    form = PeerRequestForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            peer_feedback_request_create(
                enrolment=enrolment, requested_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Asked %(who)s for feedback on %(learner)s.")
                % {"who": form.cleaned_data["reviewer"], "learner": enrolment.learner},
            )
            return redirect("team:home")
    return render(request, "team/peer_request.html", {"enrolment": enrolment, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def peer_inbox(request):
    """Peer feedback requests addressed to me; each answered in place."""
    requests = (
        PeerFeedbackRequest.objects.filter(reviewer=request.user)
        .select_related("enrolment__learner", "performance_objective", "requested_by")
        .order_by("status", "due_at")
    )
    form, answering = PeerResponseForm(), None
    if request.method == "POST":
        answering = get_visible_or_404(
            PeerFeedbackRequest.objects.filter(reviewer=request.user),
            request.user,
            pk=request.POST.get("request"),
        )
        form = PeerResponseForm(request.POST)
        if form.is_valid():
            try:
                peer_feedback_respond(request=answering, response=form.cleaned_data["response"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you: your feedback was sent."))
                return redirect("team:peer_inbox")
    return render(
        request,
        "team/peer_inbox.html",
        {"requests": requests, "form": form, "answering": answering},
    )
