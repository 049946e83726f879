"""Reads over coaching records that other apps rely on."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, FloatField, OuterRef, Q, Subquery

from programs.models import Enrolment, StepProgress

from .models import FeedbackWindow, Observation, PeerFeedbackRequest


@dataclass(frozen=True)
class EvidenceCheck:
    """One question for the evidence counter: which observations count, for whom."""

    key: tuple
    enrolment_id: int
    performance_objective_ids: list[int]
    min_rating: int
    since: datetime
    until: datetime


def observation_evidence_counts_many(*, checks: list[EvidenceCheck]) -> dict:
    """For each check, how many observations of the enrolment against its objectives were
    rated `min_rating` or better between `since` and `until`, and by how many observers.

    Answers every check in one query: one pair of filtered counts per check.
    """
    if not checks:
        return {}
    aggregates = {}
    for index, check in enumerate(checks):
        matching = Q(
            enrolment_id=check.enrolment_id,
            performance_objective_id__in=check.performance_objective_ids,
            rating__gte=check.min_rating,
            observed_at__gte=check.since,
            observed_at__lte=check.until,
        )
        aggregates[f"n{index}"] = Count("id", filter=matching)
        aggregates[f"o{index}"] = Count("observer", filter=matching, distinct=True)
    enrolment_ids = {check.enrolment_id for check in checks}
    counts = Observation.objects.filter(enrolment_id__in=enrolment_ids).aggregate(**aggregates)
    return {
        check.key: (counts[f"n{index}"], counts[f"o{index}"]) for index, check in enumerate(checks)
    }


def team_enrolments(*, manager):
    """Current enrolments a person follows as supervisor, coach or line manager, with progress."""
    done = Q(progress__status__in=[StepProgress.Status.COMPLETED, StepProgress.Status.SKIPPED])
    return (
        Enrolment.objects.filter(
            Q(supervisor=manager) | Q(coach=manager) | Q(learner__manager=manager),
            status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED],
        )
        .select_related("learner", "program", "pathway")
        .annotate(steps_total=Count("progress"), steps_done=Count("progress", filter=done))
        .order_by("learner__last_name", "learner__first_name", "program__name")
    )


def open_windows_for(*, manager):
    """Open feedback windows a person should act on, soonest to close first."""
    return (
        FeedbackWindow.objects.filter(status=FeedbackWindow.Status.OPEN)
        .filter(Q(observation__observer=manager) | Q(observation__enrolment__supervisor=manager))
        .select_related(
            "observation__learner", "observation__observer", "observation__performance_objective"
        )
        .order_by("closes_at")
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


def peer_requests_due_within(*, now, lead):
    return PeerFeedbackRequest.objects.filter(
        status=PeerFeedbackRequest.Status.REQUESTED, due_at__gt=now, due_at__lte=now + lead
    ).select_related("reviewer", "enrolment__learner")


def observer_calibration(*, program):
    """Per performance objective and observer: how they rate, beside how others rate the
    same learners on the same objective. A large gap flags a lenient or a harsh rater."""
    others = (
        Observation.objects.filter(
            learner=OuterRef("learner"),
            performance_objective=OuterRef("performance_objective"),
        )
        .exclude(observer=OuterRef("observer"))
        .values("learner")
        .annotate(mean=Avg("rating"))
        .values("mean")
    )
    rows = (
        Observation.objects.filter(performance_objective__program=program)
        .annotate(others_mean=Subquery(others, output_field=FloatField()))
        .values(
            "performance_objective_id",
            "performance_objective__statement",
            "observer_id",
            "observer__first_name",
            "observer__last_name",
            "observer__username",
        )
        .annotate(
            observations=Count("id"),
            learners=Count("learner", distinct=True),
            mean=Avg("rating"),
            shared=Count("id", filter=Q(others_mean__isnull=False)),
            others=Avg("others_mean"),
        )
        .order_by("performance_objective_id", "observer__last_name", "observer_id")
    )
    result = []
    for row in rows:
        gap = None if row["others"] is None else round(row["mean"] - row["others"], 2)
        result.append({**row, "mean": round(row["mean"], 2), "gap": gap})
    return result
