"""The filters lists of programs and their learners share, the API's and the pages'."""

import django_filters

from talentdev.core.filters import ChangedSinceFilterSet, by_uuid

from .models import Assignment, Cohort, Enrolment, Pathway, Program, ProgressEvent, StepProgress


class ProgramFilterSet(ChangedSinceFilterSet):
    class Meta:
        model = Program
        fields = ["updated_since", "status", "slug"]


class PathwayFilterSet(ChangedSinceFilterSet):
    program = by_uuid("program", "program")

    class Meta:
        model = Pathway
        fields = ["updated_since", "program", "status"]


class CohortFilterSet(ChangedSinceFilterSet):
    program = by_uuid("program", "program")

    class Meta:
        model = Cohort
        fields = ["updated_since", "program"]


class EnrolmentFilterSet(ChangedSinceFilterSet):
    program = by_uuid("program", "program")
    learner = by_uuid("learner", "learner")
    cohort = by_uuid("cohort", "cohort")

    class Meta:
        model = Enrolment
        fields = ["updated_since", "program", "learner", "cohort", "status"]


class StepProgressFilterSet(ChangedSinceFilterSet):
    enrolment = by_uuid("enrolment", "enrolment")

    class Meta:
        model = StepProgress
        fields = ["updated_since", "enrolment", "status"]


class AssignmentFilterSet(ChangedSinceFilterSet):
    enrolment = by_uuid("enrolment", "enrolment")

    class Meta:
        model = Assignment
        fields = ["updated_since", "enrolment", "status"]


class ProgressEventFilterSet(django_filters.FilterSet):
    """Events are never changed, only recorded: a sync asks for those recorded since."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="recorded_at",
        lookup_expr="gte",
        help_text="Only events recorded at or after this moment (ISO 8601, with its offset).",
    )
    enrolment = by_uuid("enrolment", "enrolment")

    class Meta:
        model = ProgressEvent
        fields = ["updated_since", "enrolment", "type"]
