"""Filters every list shares, the API's and the pages'."""

import django_filters


class ChangedSinceFilterSet(django_filters.FilterSet):
    """`updated_since`: rows changed at or after a moment, for a nightly sync."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only rows changed at or after this moment (ISO 8601, with its offset).",
    )


def by_uuid(field: str, label: str) -> django_filters.UUIDFilter:
    """A filter on a related row by its public id: `?program=<uuid>`."""
    return django_filters.UUIDFilter(
        field_name=f"{field}__uuid", help_text=f"Only rows of this {label}."
    )
