"""Enrolments and the evidence of each learner's progress: what HR pulls into its
warehouse, and what it writes in (enrolments, measurements, external assessments)."""

from django.db.models import Prefetch

from coaching.filters import (
    CoachingSessionFilterSet,
    DebriefFilterSet,
    FeedbackFilterSet,
    FeedbackWindowFilterSet,
    ObservationFilterSet,
)
from coaching.models import (
    CoachingSession,
    Debrief,
    DebriefAction,
    Feedback,
    FeedbackWindow,
    Observation,
)
from measurement.filters import AssessmentFilterSet, MeasurementFilterSet
from measurement.models import Assessment, Measurement
from programs.filters import (
    AssignmentFilterSet,
    EnrolmentFilterSet,
    ProgressEventFilterSet,
    StepProgressFilterSet,
)
from programs.models import Assignment, Enrolment, ProgressEvent, StepProgress

from ..views.base import ReadViewSet
from . import serializers as out

EVIDENCE_SCOPES = {"read": "evidence:read"}


class EnrolmentViewSet(ReadViewSet):
    """Who is enrolled in which program, on which pathway version, and how far they are."""

    scopes = {"read": "evidence:read", "write": "enrolments:write"}
    model = Enrolment
    related = ("learner", "program", "pathway", "cohort", "supervisor", "coach")
    serializer_class = out.EnrolmentSerializer
    filterset_class = EnrolmentFilterSet


class StepProgressViewSet(ReadViewSet):
    """Each learner's state on each step of their pathway."""

    scopes = EVIDENCE_SCOPES
    model = StepProgress
    related = ("enrolment", "step")
    serializer_class = out.StepProgressSerializer
    filterset_class = StepProgressFilterSet


class ProgressEventViewSet(ReadViewSet):
    """What happened to each enrolment and why, in the order it was recorded. Events are
    never changed, so a sync pages them by when they were recorded."""

    scopes = EVIDENCE_SCOPES
    model = ProgressEvent
    related = ("enrolment", "step", "actor")
    serializer_class = out.ProgressEventSerializer
    filterset_class = ProgressEventFilterSet
    sync_keys = ("recorded_at", "id")
    lookup_field = "id"

    def visible_rows(self):
        return ProgressEvent.objects.filter(
            enrolment__in=Enrolment.objects.visible_to(self.request.user).values("pk")
        )


class AssignmentViewSet(ReadViewSet):
    """On-the-job assignments: the brief, the evidence and the outcome."""

    scopes = EVIDENCE_SCOPES
    model = Assignment
    related = ("enrolment", "step")
    serializer_class = out.AssignmentSerializer
    filterset_class = AssignmentFilterSet


class ObservationViewSet(ReadViewSet):
    """Who saw what behaviour, against which performance objective, and how well."""

    scopes = EVIDENCE_SCOPES
    model = Observation
    related = ("enrolment", "learner", "observer", "performance_objective", "assignment")
    serializer_class = out.ObservationSerializer
    filterset_class = ObservationFilterSet


class FeedbackWindowViewSet(ReadViewSet):
    """The window each observation opens, and whether feedback came inside it."""

    scopes = EVIDENCE_SCOPES
    model = FeedbackWindow
    related = ("observation",)
    serializer_class = out.FeedbackWindowSerializer
    filterset_class = FeedbackWindowFilterSet


class FeedbackViewSet(ReadViewSet):
    scopes = EVIDENCE_SCOPES
    model = Feedback
    related = ("observation", "giver")
    serializer_class = out.FeedbackSerializer
    filterset_class = FeedbackFilterSet


class DebriefViewSet(ReadViewSet):
    """Structured debriefs after assignments, with their next actions."""

    scopes = EVIDENCE_SCOPES
    model = Debrief
    related = ("enrolment", "assignment", "facilitator")
    prefetch = (Prefetch("actions", queryset=DebriefAction.objects.select_related("owner")),)
    serializer_class = out.DebriefSerializer
    filterset_class = DebriefFilterSet


class CoachingSessionViewSet(ReadViewSet):
    """When coaching sessions were held: their notes never leave the product."""

    scopes = EVIDENCE_SCOPES
    model = CoachingSession
    related = ("enrolment", "coach")
    serializer_class = out.CoachingSessionSerializer
    filterset_class = CoachingSessionFilterSet


class AssessmentViewSet(ReadViewSet):
    """Baseline, checkpoint and self-assessments of competencies."""

    scopes = {"read": "evidence:read", "write": "measurements:write"}
    model = Assessment
    related = ("enrolment", "competency", "learning_objective", "assessor", "assessed_level")
    serializer_class = out.AssessmentSerializer
    filterset_class = AssessmentFilterSet


class MeasurementViewSet(ReadViewSet):
    """Values of programs' outcome metrics over time."""

    scopes = {"read": "evidence:read", "write": "measurements:write"}
    model = Measurement
    related = ("metric", "enrolment")
    serializer_class = out.MeasurementSerializer
    filterset_class = MeasurementFilterSet
