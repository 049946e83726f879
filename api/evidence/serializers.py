"""Enrolments and the evidence of learning and performance as the API shows them.

Coaching notes, reflections and who wrote anonymous peer feedback never leave: a coaching
session shows only when it was held and with whom, and neither reflections nor peer
feedback requests are resources.
"""

from rest_framework import serializers

from coaching.models import (
    CoachingSession,
    Debrief,
    DebriefAction,
    Feedback,
    FeedbackWindow,
    Observation,
)
from measurement.models import Assessment, Measurement
from programs.models import Assignment, Enrolment, ProgressEvent, StepProgress

from ..programs.serializers import STAMPS
from ..views.base import ReadSerializer, ref


class EnrolmentSerializer(ReadSerializer):
    learner_id = ref("learner")
    learner_employee_id = serializers.CharField(source="learner.employee_id", read_only=True)
    program_id = ref("program")
    pathway_id = ref("pathway")
    cohort_id = ref("cohort")
    supervisor_id = ref("supervisor")
    coach_id = ref("coach")

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "learner_id",
            "learner_employee_id",
            "program_id",
            "pathway_id",
            "cohort_id",
            "supervisor_id",
            "coach_id",
            "status",
            "enrolled_on",
            "completed_on",
            "competent_on",
            *STAMPS,
        ]


class StepProgressSerializer(ReadSerializer):
    enrolment_id = ref("enrolment")
    step_id = ref("step")

    class Meta:
        model = StepProgress
        fields = [
            "id",
            "enrolment_id",
            "step_id",
            "status",
            "due_on",
            "started_at",
            "completed_at",
            *STAMPS,
        ]


class ProgressEventSerializer(serializers.ModelSerializer):
    enrolment_id = ref("enrolment")
    step_id = ref("step")
    actor_id = ref("actor")

    class Meta:
        model = ProgressEvent
        fields = [
            "id",
            "type",
            "enrolment_id",
            "step_id",
            "from_status",
            "to_status",
            "occurred_at",
            "cause",
            "actor_id",
            "recorded_at",
        ]
        read_only_fields = fields


class AssignmentSerializer(ReadSerializer):
    enrolment_id = ref("enrolment")
    step_id = ref("step")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "enrolment_id",
            "step_id",
            "title",
            "brief",
            "scenario_kind",
            "stakeholders",
            "due_on",
            "status",
            "evidence",
            "evidence_url",
            "outcome",
            "submitted_at",
            "presented_on",
            "presented_to",
            *STAMPS,
        ]


class ObservationSerializer(ReadSerializer):
    enrolment_id = ref("enrolment")
    learner_id = ref("learner")
    observer_id = ref("observer")
    performance_objective_id = ref("performance_objective")
    assignment_id = ref("assignment")

    class Meta:
        model = Observation
        fields = [
            "id",
            "enrolment_id",
            "learner_id",
            "observer_id",
            "performance_objective_id",
            "assignment_id",
            "observed_at",
            "rating",
            "behaviour",
            "evidence",
            *STAMPS,
        ]


class FeedbackWindowSerializer(ReadSerializer):
    observation_id = ref("observation")

    class Meta:
        model = FeedbackWindow
        fields = ["id", "observation_id", "opens_at", "closes_at", "status", "resolved_at", *STAMPS]


class FeedbackSerializer(ReadSerializer):
    observation_id = ref("observation")
    giver_id = ref("giver")

    class Meta:
        model = Feedback
        fields = [
            "id",
            "observation_id",
            "giver_id",
            "specific_example",
            "impact_on_team_goals",
            "suggestion",
            "delivered_at",
            *STAMPS,
        ]


class DebriefActionSerializer(serializers.ModelSerializer):
    owner_id = ref("owner")

    class Meta:
        model = DebriefAction
        fields = ["description", "owner_id", "due_on", "done_at"]


class DebriefSerializer(ReadSerializer):
    enrolment_id = ref("enrolment")
    assignment_id = ref("assignment")
    facilitator_id = ref("facilitator")
    actions = DebriefActionSerializer(many=True, read_only=True)

    class Meta:
        model = Debrief
        fields = [
            "id",
            "enrolment_id",
            "assignment_id",
            "facilitator_id",
            "held_at",
            "what_happened",
            "what_went_well",
            "what_to_change",
            "lessons",
            "actions",
            *STAMPS,
        ]


class CoachingSessionSerializer(ReadSerializer):
    """When a session was held and with whom; what was said stays between coach and learner."""

    enrolment_id = ref("enrolment")
    coach_id = ref("coach")

    class Meta:
        model = CoachingSession
        fields = ["id", "enrolment_id", "coach_id", "held_at", *STAMPS]


class AssessmentSerializer(ReadSerializer):
    enrolment_id = ref("enrolment")
    competency_id = ref("competency")
    learning_objective_id = ref("learning_objective")
    assessor_id = ref("assessor")
    level = serializers.IntegerField(source="assessed_level.rank", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "enrolment_id",
            "competency_id",
            "learning_objective_id",
            "kind",
            "level",
            "score",
            "assessor_id",
            "assessed_on",
            *STAMPS,
        ]


class MeasurementSerializer(ReadSerializer):
    metric_id = ref("metric")
    enrolment_id = ref("enrolment")

    class Meta:
        model = Measurement
        fields = [
            "id",
            "metric_id",
            "enrolment_id",
            "measured_at",
            "value",
            "source",
            "note",
            *STAMPS,
        ]


class CompetencyRecordSerializer(serializers.Serializer):
    """One competency of a person's record: the level their latest assessment found."""

    competency_id = serializers.UUIDField(source="competency.uuid")
    competency_code = serializers.CharField(source="competency.code")
    level = serializers.IntegerField(source="assessed_level.rank")
    level_name = serializers.CharField(source="assessed_level.name")
    source = serializers.CharField(source="kind")
    assessment_id = serializers.UUIDField(source="uuid")
    as_of = serializers.DateField(source="assessed_on")
