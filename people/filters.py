"""The filters people lists share, the API's and the pages'."""

import django_filters
from django.db.models import Q

from talentdev.core.filters import ChangedSinceFilterSet

from .models import JobRole, OrgUnit, User
from .selectors import person_matches


class PersonFilterSet(ChangedSinceFilterSet):
    employee_id = django_filters.CharFilter(help_text="The person with this employee ID.")
    org_unit = django_filters.CharFilter(
        field_name="org_unit__code", help_text="People in the org unit with this code."
    )
    active = django_filters.BooleanFilter(field_name="is_active")
    q = django_filters.CharFilter(
        method="_matching", help_text="Name, username, email or employee ID, word by word."
    )

    class Meta:
        model = User
        fields = ["updated_since", "employee_id", "org_unit", "active", "q"]

    def _matching(self, people, name, text):
        condition = Q()
        for word in text.split()[:4]:
            condition &= person_matches(word)
        return people.filter(condition)


class OrgUnitFilterSet(ChangedSinceFilterSet):
    class Meta:
        model = OrgUnit
        fields = ["updated_since", "code"]


class JobRoleFilterSet(ChangedSinceFilterSet):
    class Meta:
        model = JobRole
        fields = ["updated_since", "code"]
