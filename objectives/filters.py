"""The filters lists of frameworks and objectives share, the API's and the pages'."""

import django_filters

from talentdev.core.filters import ChangedSinceFilterSet, by_uuid

from .models import (
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyScale,
)


class FrameworkFilterSet(ChangedSinceFilterSet):
    class Meta:
        model = CompetencyFramework
        fields = ["updated_since", "status"]


class ScaleFilterSet(ChangedSinceFilterSet):
    framework = by_uuid("framework", "framework")

    class Meta:
        model = ProficiencyScale
        fields = ["updated_since", "framework"]


class CompetencyFilterSet(ChangedSinceFilterSet):
    framework = by_uuid("framework", "framework")
    code = django_filters.CharFilter()

    class Meta:
        model = Competency
        fields = ["updated_since", "framework", "code"]


class LearningObjectiveFilterSet(ChangedSinceFilterSet):
    program = by_uuid("program", "program")
    competency = by_uuid("competency", "competency")

    class Meta:
        model = LearningObjective
        fields = ["updated_since", "program", "competency"]


class PerformanceObjectiveFilterSet(ChangedSinceFilterSet):
    program = by_uuid("program", "program")

    class Meta:
        model = PerformanceObjective
        fields = ["updated_since", "program"]
