"""The filters people lists share, the API's and the pages'."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentdev.core.filters import ChangedSinceFilterSet

from .models import JobRole, OrgUnit, User
from .selectors import person_matches


class TrueOrFalseField(forms.NullBooleanField):
    """`true` or `false`; any other word is an error. (Django's field reads an unknown
    word as "no filter", so `?active=flase` would list everyone without a word.)"""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(_("Give true or false."), code="invalid")


class TrueOrFalseFilter(django_filters.BooleanFilter):
    field_class = TrueOrFalseField


class PersonFilterSet(ChangedSinceFilterSet):
    employee_id = django_filters.CharFilter(help_text="The person with this employee ID.")
    org_unit = django_filters.CharFilter(
        field_name="org_unit__code", help_text="People in the org unit with this code."
    )
    active = TrueOrFalseFilter(
        field_name="is_active", help_text="Only active (or inactive) people."
    )
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
