"""What coaching holds on one learner, as their step pages and their record show it.

Every list is the latest few, never the whole history: a learner of two years has hundreds
of observations. Each read runs a fixed number of queries whatever the history holds.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from programs.models import Enrolment, StepProgress

from .models import CoachingSession, Debrief, DebriefAction, Observation, Reflection

# How many of each kind of record a page lists, latest first.
SHOWN = 10


@dataclass
class StepEvidence:
    """The records that bear on one step of a learner's pathway, latest first."""

    observations: list[Observation] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list)
    sessions: list[CoachingSession] = field(default_factory=list)
    debriefs: list[Debrief] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.observations or self.reflections or self.sessions or self.debriefs)


@dataclass
class CoachingRecord:
    """A learner's latest coaching sessions (with commitments) and debriefs (with next
    actions) on one enrolment."""

    sessions: list[CoachingSession] = field(default_factory=list)
    debriefs: list[Debrief] = field(default_factory=list)


def _sessions():
    return CoachingSession.objects.select_related("coach").prefetch_related("commitments")


def _debriefs():
    actions = DebriefAction.objects.select_related("owner").order_by("due_on", "id")
    return Debrief.objects.select_related("facilitator", "assignment").prefetch_related(
        Prefetch("actions", queryset=actions)
    )


def step_evidence(progress: StepProgress, *, now=None, performance_objectives=None) -> StepEvidence:
    """Observations against the step's performance objectives, reflections written on it,
    coaching sessions held while it was open and debriefs of the assignments given on it.

    `performance_objectives` are the step's, when the caller has read them; otherwise
    `progress` comes with them prefetched.
    """
    now = now or timezone.now()
    enrolment_id, step = progress.enrolment_id, progress.step
    if performance_objectives is None:
        performance_objectives = step.performance_objectives.all()
    objectives = [po.pk for po in performance_objectives]
    evidence = StepEvidence(
        observations=list(
            Observation.objects.filter(
                enrolment_id=enrolment_id, performance_objective_id__in=objectives
            )
            .select_related("observer", "performance_objective", "feedback_window")
            .order_by("-observed_at", "-pk")[:SHOWN]
        )
        if objectives
        else [],
        reflections=list(
            Reflection.objects.filter(enrolment_id=enrolment_id, step=step).order_by("-written_at")[
                :SHOWN
            ]
        ),
        debriefs=list(
            _debriefs()
            .filter(enrolment_id=enrolment_id, assignment__step=step)
            .order_by("-held_at")[:SHOWN]
        ),
    )
    if progress.started_at is not None:
        until = progress.completed_at or now
        evidence.sessions = list(
            _sessions()
            .filter(
                enrolment_id=enrolment_id,
                held_at__gte=progress.started_at,
                held_at__lte=until,
            )
            .order_by("-held_at")[:SHOWN]
        )
    return evidence


def _latest_per_enrolment(queryset, enrolment_ids, limit):
    if len(enrolment_ids) == 1:
        # One learner's record: a plain LIMIT, which Django builds in half the time.
        latest = queryset.filter(enrolment_id=enrolment_ids[0]).order_by("-held_at")
        return latest[:limit]
    ranked = queryset.filter(enrolment_id__in=enrolment_ids).annotate(
        rank=Window(RowNumber(), partition_by=F("enrolment_id"), order_by=F("held_at").desc())
    )
    return ranked.filter(rank__lte=limit).order_by("enrolment_id", "-held_at")


def coaching_records(enrolments: list[Enrolment], *, limit: int = 5) -> dict[int, CoachingRecord]:
    """For each enrolment, its latest `limit` coaching sessions and debriefs."""
    ids = [enrolment.pk for enrolment in enrolments]
    records = {pk: CoachingRecord() for pk in ids}
    if not ids:
        return records
    for session in _latest_per_enrolment(_sessions(), ids, limit):
        records[session.enrolment_id].sessions.append(session)
    for debrief in _latest_per_enrolment(_debriefs(), ids, limit):
        records[debrief.enrolment_id].debriefs.append(debrief)
    return records


def assignment_debriefs(assignment) -> list[Debrief]:
    """The debriefs of one assignment (one per submission judged), latest first."""
    return list(_debriefs().filter(assignment=assignment).order_by("-held_at")[:SHOWN])
