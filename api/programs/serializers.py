"""Frameworks, objectives, programs, pathways, cohorts, metrics and reviews as the API
shows them: what a program is built from, and what its sponsors read."""

from rest_framework import serializers

from measurement.models import OutcomeMetric, SponsorReview
from objectives.models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)
from programs.models import Cohort, Pathway, Program, Step

from ..views.base import ReadSerializer, ref

STAMPS = ["created_at", "updated_at"]


class FrameworkSerializer(ReadSerializer):
    class Meta:
        model = CompetencyFramework
        fields = ["id", "name", "version", "status", "description", "published_at", *STAMPS]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProficiencyLevel
        fields = ["rank", "name", "description"]


class ScaleSerializer(ReadSerializer):
    framework_id = ref("framework")
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = ProficiencyScale
        fields = ["id", "framework_id", "name", "levels", *STAMPS]


class IndicatorSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(source="level.rank", read_only=True)

    class Meta:
        model = BehaviouralIndicator
        fields = ["level", "description"]


class CompetencySerializer(ReadSerializer):
    framework_id = ref("framework")
    parent_id = ref("parent")
    scale_id = ref("scale")
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = [
            "id",
            "framework_id",
            "parent_id",
            "code",
            "name",
            "description",
            "strategic_rationale",
            "scale_id",
            "indicators",
            *STAMPS,
        ]


class LearningObjectiveSerializer(ReadSerializer):
    program_id = ref("program")
    competency_id = ref("competency")

    class Meta:
        model = LearningObjective
        fields = [
            "id",
            "program_id",
            "competency_id",
            "statement",
            "bloom_level",
            "assessment_method",
            *STAMPS,
        ]


class PerformanceObjectiveSerializer(ReadSerializer):
    program_id = ref("program")
    learning_objective_ids = serializers.SlugRelatedField(
        source="learning_objectives", slug_field="uuid", many=True, read_only=True
    )

    class Meta:
        model = PerformanceObjective
        fields = [
            "id",
            "program_id",
            "learning_objective_ids",
            "statement",
            "action",
            "condition",
            "measure",
            "measure_unit",
            "target_comparator",
            "target_value",
            "time_window",
            "time_window_anchor",
            "review_date",
            "evidence_method",
            "feedback_window",
            *STAMPS,
        ]


class ProgramSerializer(ReadSerializer):
    owner_id = ref("owner")
    framework_id = ref("framework")
    sponsor_ids = serializers.SlugRelatedField(
        source="sponsors", slug_field="uuid", many=True, read_only=True
    )

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "slug",
            "business_goal",
            "description",
            "status",
            "owner_id",
            "sponsor_ids",
            "framework_id",
            "starts_on",
            "ends_on",
            "cost",
            "currency",
            *STAMPS,
        ]


class StepSerializer(ReadSerializer):
    learning_objective_ids = serializers.SlugRelatedField(
        source="learning_objectives", slug_field="uuid", many=True, read_only=True
    )
    performance_objective_ids = serializers.SlugRelatedField(
        source="performance_objectives", slug_field="uuid", many=True, read_only=True
    )

    class Meta:
        model = Step
        fields = [
            "id",
            "position",
            "kind",
            "title",
            "description",
            "difficulty",
            "expected_duration",
            "completed_by",
            "skippable",
            "due_days",
            "due_from",
            "learning_objective_ids",
            "performance_objective_ids",
            *STAMPS,
        ]


class PathwaySerializer(ReadSerializer):
    program_id = ref("program")
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Pathway
        fields = [
            "id",
            "program_id",
            "version",
            "status",
            "published_at",
            "change_note",
            "steps",
            *STAMPS,
        ]


class CohortSerializer(ReadSerializer):
    program_id = ref("program")

    class Meta:
        model = Cohort
        fields = ["id", "program_id", "name", "starts_on", "ends_on", *STAMPS]


class OutcomeMetricSerializer(ReadSerializer):
    program_id = ref("program")

    class Meta:
        model = OutcomeMetric
        fields = [
            "id",
            "program_id",
            "name",
            "kind",
            "unit",
            "direction",
            "aggregation",
            "baseline",
            "target",
            "values_count",
            *STAMPS,
        ]


class SponsorReviewSerializer(ReadSerializer):
    program_id = ref("program")
    reviewed_by_id = ref("reviewed_by")

    class Meta:
        model = SponsorReview
        fields = [
            "id",
            "program_id",
            "period_start",
            "period_end",
            "status",
            "generated_at",
            "reviewed_at",
            "reviewed_by_id",
            "snapshot",
            *STAMPS,
        ]
