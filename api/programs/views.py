"""What programs are built from and what their sponsors read: frameworks, objectives,
programs, pathways with their steps, cohorts, outcome metrics and sponsor reviews."""

from django.db.models import Prefetch

from measurement.filters import OutcomeMetricFilterSet, SponsorReviewFilterSet
from measurement.models import OutcomeMetric, SponsorReview
from objectives.filters import (
    CompetencyFilterSet,
    FrameworkFilterSet,
    LearningObjectiveFilterSet,
    PerformanceObjectiveFilterSet,
    ScaleFilterSet,
)
from objectives.models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyScale,
)
from people.models import User
from programs.filters import CohortFilterSet, PathwayFilterSet, ProgramFilterSet
from programs.models import Cohort, Pathway, Program, Step

from ..views.base import ReadViewSet
from . import serializers as out

PROGRAM_SCOPES = {"read": "programs:read"}


class FrameworkViewSet(ReadViewSet):
    """Competency frameworks, by version."""

    scopes = PROGRAM_SCOPES
    model = CompetencyFramework
    serializer_class = out.FrameworkSerializer
    filterset_class = FrameworkFilterSet


class ScaleViewSet(ReadViewSet):
    """Proficiency scales with their ordered levels."""

    scopes = PROGRAM_SCOPES
    model = ProficiencyScale
    related = ("framework",)
    prefetch = ("levels",)
    serializer_class = out.ScaleSerializer
    filterset_class = ScaleFilterSet


class CompetencyViewSet(ReadViewSet):
    """Competencies with the observable behaviours of each level."""

    scopes = PROGRAM_SCOPES
    model = Competency
    related = ("framework", "parent", "scale")
    prefetch = (
        Prefetch("indicators", queryset=BehaviouralIndicator.objects.select_related("level")),
    )
    serializer_class = out.CompetencySerializer
    filterset_class = CompetencyFilterSet


class LearningObjectiveViewSet(ReadViewSet):
    """What learners must understand (the why), per program and competency."""

    scopes = PROGRAM_SCOPES
    model = LearningObjective
    related = ("program", "competency")
    serializer_class = out.LearningObjectiveSerializer
    filterset_class = LearningObjectiveFilterSet


class PerformanceObjectiveViewSet(ReadViewSet):
    """What learners must do on the job (the what), with the learning objectives behind it."""

    scopes = PROGRAM_SCOPES
    model = PerformanceObjective
    related = ("program",)
    prefetch = (Prefetch("learning_objectives", queryset=LearningObjective.objects.only("uuid")),)
    serializer_class = out.PerformanceObjectiveSerializer
    filterset_class = PerformanceObjectiveFilterSet


class ProgramViewSet(ReadViewSet):
    """Programs with their owner, sponsors and framework."""

    scopes = PROGRAM_SCOPES
    model = Program
    related = ("owner", "framework")
    prefetch = (Prefetch("sponsors", queryset=User.objects.only("uuid")),)
    serializer_class = out.ProgramSerializer
    filterset_class = ProgramFilterSet


class PathwayViewSet(ReadViewSet):
    """Pathway versions with their ordered steps."""

    scopes = PROGRAM_SCOPES
    model = Pathway
    related = ("program",)
    prefetch = (
        Prefetch(
            "steps",
            queryset=Step.objects.order_by("position").prefetch_related(
                Prefetch("learning_objectives", queryset=LearningObjective.objects.only("uuid")),
                Prefetch(
                    "performance_objectives", queryset=PerformanceObjective.objects.only("uuid")
                ),
            ),
        ),
    )
    serializer_class = out.PathwaySerializer
    filterset_class = PathwayFilterSet


class CohortViewSet(ReadViewSet):
    scopes = PROGRAM_SCOPES
    model = Cohort
    related = ("program",)
    serializer_class = out.CohortSerializer
    filterset_class = CohortFilterSet


class OutcomeMetricViewSet(ReadViewSet):
    """The business outcomes a program should move, with baseline and target."""

    scopes = PROGRAM_SCOPES
    model = OutcomeMetric
    related = ("program",)
    serializer_class = out.OutcomeMetricSerializer
    filterset_class = OutcomeMetricFilterSet


class SponsorReviewViewSet(ReadViewSet):
    """Each period's rolled-up results of a program, as its sponsors read them."""

    scopes = PROGRAM_SCOPES
    model = SponsorReview
    related = ("program", "reviewed_by")
    serializer_class = out.SponsorReviewSerializer
    filterset_class = SponsorReviewFilterSet
