"""Reads over coaching records that other apps rely on."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.models import User
from people.selectors import people_matching
from programs.models import Assignment, Enrolment, StepProgress
from programs.rules import works_with_learner_each

from .models import Feedback, FeedbackWindow, Observation, PeerFeedbackRequest, Reflection
from .rules import gives_feedback_each


def _each_way(model, conditions):
    """The ids of `model`'s rows meeting any of `conditions`, one query per condition
    joined by UNION: each is answered from its own index, where PostgreSQL plans their OR
    as a scan of the whole table joined to every learner."""
    first, *others = (model.objects.filter(c).order_by().values("pk") for c in conditions)
    return first.union(*others)


def team_enrolments(*, manager):
    """Enrolments a person works on as supervisor, coach or line manager that are not
    finished (through the pathway but not yet competent counts as unfinished): whom they
    observe and coach now, by learner."""
    working_with = _each_way(Enrolment, works_with_learner_each(manager).values())
    return (
        Enrolment.objects.unfinished()
        .filter(pk__in=working_with)
        .select_related("learner", "program", "pathway")
        .order_by("learner__last_name", "learner__first_name", "program__name", "pk")
    )


# A window closing sooner than this is flagged on the team page.
CLOSING_SOON = timedelta(hours=4)
# How many learners the team page lists at a time, and how many of the feedback windows
# and of the evidence waiting for a debrief (the most urgent first).
TEAM_PAGE_SIZE = 50
SHOWN_ON_TEAM_PAGE = 50


def _first(queryset, limit: int) -> tuple[list, bool]:
    """The first `limit` rows, and whether there are more: one query, no count."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def _steps(**condition):
    """How many of an enrolment's steps (meeting `condition`), a sub-select for each row
    listed: joined and grouped, the team's progress took PostgreSQL longer to plan."""
    counted = (
        StepProgress.objects.filter(enrolment=OuterRef("pk"), **condition)
        .order_by()
        .values("enrolment")
        .annotate(steps=Count("pk"))
        .values("steps")
    )
    return Coalesce(Subquery(counted), 0)


def team_page(*, manager, page=None, now=None) -> dict:
    """A manager's team page: a page of their learners with progress, the feedback windows
    they should act on (with the moment before which one counts as closing soon), and the
    assignments whose evidence waits for their debrief; the last two the most urgent
    first, with whether more wait."""
    now = now or timezone.now()
    enrolments = team_enrolments(manager=manager)
    learners = Paginator(
        enrolments.annotate(
            steps_total=_steps(), steps_done=_steps(status__in=StepProgress.DONE_STATUSES)
        ),
        TEAM_PAGE_SIZE,
    ).get_page(page)
    windows, more_windows = _first(open_windows_for(manager=manager), SHOWN_ON_TEAM_PAGE)
    awaiting_review, more_awaiting = _first(
        Assignment.objects.filter(
            status=Assignment.Status.SUBMITTED, enrolment__in=enrolments.values("pk")
        )
        .select_related("enrolment__learner")
        .order_by("submitted_at", "pk"),
        SHOWN_ON_TEAM_PAGE,
    )
    return {
        "enrolments": enrolments,
        "learners": learners,
        "windows": windows,
        "more_windows": more_windows,
        "awaiting_review": awaiting_review,
        "more_awaiting": more_awaiting,
        "now": now,
        "soon": now + CLOSING_SOON,
    }


def debrief_action_owners(*, enrolment, facilitator):
    """Who a debrief's next actions can fall to: the learner or whoever runs the debrief."""
    return User.objects.filter(pk__in=[enrolment.learner_id, facilitator.pk])


def open_windows_for(*, manager):
    """Open feedback windows a person should act on, soonest to close first."""
    observations = _each_way(Observation, gives_feedback_each(manager).values())
    return (
        FeedbackWindow.objects.filter(
            status=FeedbackWindow.Status.OPEN, observation_id__in=observations
        )
        .select_related(
            "observation__learner", "observation__observer", "observation__performance_objective"
        )
        .order_by("closes_at", "pk")
    )


def windows_closing_within(*, now, lead):
    """Open windows that close after `now` but no later than `now + lead` (the reminder scan)."""
    return FeedbackWindow.objects.filter(
        status=FeedbackWindow.Status.OPEN, closes_at__gt=now, closes_at__lte=now + lead
    ).select_related(
        "observation__observer", "observation__learner", "observation__performance_objective"
    )


def windows_missed_since(*, since):
    """Windows decided as missed at or after `since`, with the observer's manager."""
    return FeedbackWindow.objects.filter(
        status=FeedbackWindow.Status.MISSED, resolved_at__gte=since
    ).select_related("observation__observer__manager", "observation__learner")


def peer_inbox_for(*, reviewer):
    """Peer feedback requests addressed to a reviewer: open ones first, soonest due first;
    a queryset to page."""
    return (
        PeerFeedbackRequest.objects.filter(reviewer=reviewer)
        .select_related("enrolment__learner", "performance_objective", "requested_by")
        .order_by("status", "due_at", "pk")
    )


def peer_reviewers_for(*, enrolment):
    """Who may be asked for peer feedback on a learner: their colleagues, that is the people
    of their org unit, of their reporting line (their manager, the manager's other reports,
    their own reports) and of the programs they are on (its current learners, supervisors
    and coaches); active ones, never the learner. The suggestions search these, and
    peer_feedback_request_create refuses anyone else."""
    learner = enrolment.learner
    # Programs they are on now, and the people on them now: not everyone who ever was.
    programs = Enrolment.objects.current().filter(learner_id=learner.pk).values("program_id")
    in_programs = Enrolment.objects.current().filter(program_id__in=programs).order_by()
    # One list of ids: an OR of these circles would scan the whole staff.
    circles = [
        in_programs.values("learner_id"),
        in_programs.exclude(supervisor=None).values("supervisor_id"),
        in_programs.exclude(coach=None).values("coach_id"),
        User.objects.filter(manager_id__in={learner.pk, learner.manager_id} - {None})
        .order_by()
        .values("pk"),
        User.objects.filter(pk=learner.manager_id).order_by().values("pk"),
    ]
    if learner.org_unit_id is not None:
        circles.append(User.objects.filter(org_unit_id=learner.org_unit_id).order_by().values("pk"))
    colleagues = circles[0].union(*circles[1:])
    return User.objects.filter(pk__in=colleagues, is_active=True).exclude(pk=learner.pk)


def peer_reviewer_suggestions(*, enrolment, text: str):
    """The learner's colleagues (peer_reviewers_for) matching what is typed; a few at most."""
    return people_matching(peer_reviewers_for(enrolment=enrolment), text)


def peer_requests_due_within(*, now, lead):
    return PeerFeedbackRequest.objects.filter(
        status=PeerFeedbackRequest.Status.REQUESTED, due_at__gt=now, due_at__lte=now + lead
    ).select_related("reviewer", "enrolment__learner")


def feedback_received_by(*, learner) -> dict:
    """Feedback on a learner's observations, newest first, and the peer feedback they were
    sent (the template hides the reviewer of an anonymous request): querysets to page."""
    feedback = (
        Feedback.objects.filter(observation__learner=learner)
        .select_related(
            "giver", "observation__performance_objective", "observation__feedback_window"
        )
        .order_by("-delivered_at", "-pk")
    )
    peer = (
        PeerFeedbackRequest.objects.filter(
            enrolment__learner=learner, status=PeerFeedbackRequest.Status.SUBMITTED
        )
        .select_related("reviewer", "performance_objective")
        .order_by("-responded_at", "-pk")
    )
    return {"feedback": feedback, "peer": peer}


def observations_of(*, learner, objective):
    """A learner's observations against one performance objective with their feedback,
    newest first: a queryset to page."""
    return (
        Observation.objects.filter(learner=learner, performance_objective=objective)
        .select_related("observer")
        .prefetch_related(Prefetch("feedback", queryset=Feedback.objects.select_related("giver")))
        .order_by("-observed_at", "-pk")
    )


def reflections_of(*, learner):
    """A learner's journal entries, newest first: a queryset to page."""
    return (
        Reflection.objects.filter(enrolment__learner=learner)
        .select_related("enrolment__program", "step")
        .order_by("-written_at", "-pk")
    )
