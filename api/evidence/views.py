"""Enrolments and the evidence of each learner's progress: what HR pulls into its
warehouse, and what it writes in (enrolments, measurements, external assessments)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

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
from programs.services import enrolment_update

from ..views.base import ReadViewSet
from . import inputs, writes
from . import serializers as out

EVIDENCE_SCOPES = {"read": "evidence:read"}


class EnrolmentBulkResult(serializers.Serializer):
    created = serializers.IntegerField()
    results = out.EnrolmentSerializer(many=True)


class EnrolmentViewSet(ReadViewSet):
    """Who is enrolled in which program, on which pathway version, and how far they are."""

    scopes = {"read": "evidence:read", "write": "enrolments:write"}
    model = Enrolment
    related = ("learner", "program", "pathway", "cohort", "supervisor", "coach")
    serializer_class = out.EnrolmentSerializer
    filterset_class = EnrolmentFilterSet

    @extend_schema(
        request=inputs.EnrolmentInputSerializer, responses={201: out.EnrolmentSerializer}
    )
    def create(self, request):
        """Enrol a learner on a program's published pathway, with their supervisor (their
        manager unless given), coach and cohort."""
        (enrolment,) = writes.enrolments_create(
            actor=request.user, items=[request.data], bulk=False
        )
        return Response(self._shown(enrolment), status=status.HTTP_201_CREATED)

    @extend_schema(request=inputs.EnrolmentBulkSerializer, responses=EnrolmentBulkResult)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Enrol up to 500 learners, all or none: each refused record is reported with its
        index and field errors, and nothing is saved."""
        batch = inputs.EnrolmentBulkSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        done = writes.enrolments_create(
            actor=request.user, items=batch.validated_data["records"], bulk=True
        )
        rows = self.get_queryset().filter(pk__in=[e.pk for e in done])
        return Response(
            {"created": len(done), "results": self.get_serializer(rows, many=True).data}
        )

    @extend_schema(request=inputs.EnrolmentStatusSerializer, responses=out.EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, id=None):
        """Pause, resume or withdraw an enrolment; progression alone completes one."""
        enrolment = self.get_object()
        given = inputs.EnrolmentStatusSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        by = None if getattr(request.user, "pk", None) is None else request.user
        enrolment_update(
            enrolment=enrolment,
            by=by,
            reason=given.validated_data.get("reason", ""),
            status=given.validated_data["status"],
        )
        return Response(self._shown(enrolment))

    def _shown(self, enrolment):
        return self.get_serializer(self.get_queryset().get(pk=enrolment.pk)).data


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

    @extend_schema(
        request=inputs.AssessmentInputSerializer, responses={201: out.AssessmentSerializer}
    )
    def create(self, request):
        """Record an assessment made in an external assessment tool: the level reached in
        one competency, by whom and when. Progression reads it like any other."""
        assessment = writes.assessment_create(actor=request.user, data=request.data)
        shown = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED)


class MeasurementBulkResult(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    results = out.MeasurementSerializer(many=True)


class MeasurementViewSet(ReadViewSet):
    """Values of programs' outcome metrics over time."""

    scopes = {"read": "evidence:read", "write": "measurements:write"}
    model = Measurement
    related = ("metric", "enrolment")
    serializer_class = out.MeasurementSerializer
    filterset_class = MeasurementFilterSet

    @extend_schema(request=inputs.MeasurementBulkSerializer, responses=MeasurementBulkResult)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Record up to 500 values, all or none. A value for a moment already recorded (the
        same metric, moment and learner, or the program) replaces it."""
        batch = inputs.MeasurementBulkSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        done = writes.measurements_upsert(actor=request.user, items=batch.validated_data["records"])
        created = sum(1 for _, was_created in done if was_created)
        rows = self.get_queryset().filter(pk__in=[m.pk for m, _ in done]).order_by("pk")
        return Response(
            {
                "created": created,
                "updated": len(done) - created,
                "results": self.get_serializer(rows, many=True).data,
            }
        )
