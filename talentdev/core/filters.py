"""Filters every list shares, the API's and the pages'."""

from datetime import UTC

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class UtcMomentField(IsoDateTimeField):
    """An ISO 8601 moment, turned to UTC before it reaches the database: ISO allows any
    offset to ±23:59, PostgreSQL only to ±15:59, and a moment on the first or last day
    of the calendar has no UTC time at all."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Give a moment from the year 1 to 9999 in UTC."), code="invalid"
            ) from None


class UtcMomentFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcMomentField


class ChangedSinceFilterSet(django_filters.FilterSet):
    """`updated_since`: rows changed at or after a moment, for a nightly sync."""

    updated_since = UtcMomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only rows changed at or after this moment (ISO 8601, with its offset).",
    )


def by_uuid(field: str, label: str) -> django_filters.UUIDFilter:
    """A filter on a related row by its public id: `?program=<uuid>`."""
    return django_filters.UUIDFilter(
        field_name=f"{field}__uuid", help_text=f"Only rows of this {label}."
    )
