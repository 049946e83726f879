"""The filters lists of programs and their learners share, the API's and the pages'."""

import django_filters
from django.utils.translation import gettext_lazy as _

from people.selectors import person_matches
from talentdev.core.filters import ChangedSinceFilterSet, UtcMomentFilter, by_uuid

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


class EnrolmentFilters(django_filters.FilterSet):
    """How enrolments are filtered wherever they are listed: the designer's roster and the
    API's list."""

    q = django_filters.CharFilter(
        label=_("Learner"),
        method="search",
        help_text="The learner's name, username, email or employee ID, word by word.",
    )
    status = django_filters.ChoiceFilter(
        label=_("Enrolment"), choices=Enrolment.Status.choices, empty_label=_("Any status")
    )
    competent = django_filters.ChoiceFilter(
        label=_("Competency"),
        choices=[("yes", _("Reached")), ("no", _("Not yet"))],
        empty_label=_("Either"),
        method="by_competency",
    )

    def search(self, queryset, name, value):
        # Every word matches the learner, as people are found on the enrol page.
        for word in value.split()[:4]:
            queryset = queryset.filter(person_matches(word, via="learner__"))
        return queryset

    def by_competency(self, queryset, name, value):
        return queryset.filter(competent_on__isnull=value != "yes")


class EnrolmentFilterSet(ChangedSinceFilterSet, EnrolmentFilters):
    program = by_uuid("program", "program")
    learner = by_uuid("learner", "learner")
    cohort = by_uuid("cohort", "cohort")

    class Meta:
        model = Enrolment
        fields = ["updated_since", "program", "learner", "cohort", "status", "competent", "q"]


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

    updated_since = UtcMomentFilter(
        field_name="recorded_at",
        lookup_expr="gte",
        help_text="Only events recorded at or after this moment (ISO 8601, with its offset).",
    )
    enrolment = by_uuid("enrolment", "enrolment")

    class Meta:
        model = ProgressEvent
        fields = ["updated_since", "enrolment", "type"]
