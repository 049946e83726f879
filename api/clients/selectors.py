"""Reads behind the API client pages: the list of clients and finding org units by name."""

from django.db.models import F, Prefetch, Q
from django.db.models.functions import Lower

from people.models import OrgUnit
from talentdev.core.validators import has_control_characters

from ..models import ApiClient

# Suggestions offered for what is typed: enough to pick from, never the whole tree.
ORG_UNIT_SEARCH_LIMIT = 10


def clients_listing():
    """Every client, active ones by name first, then the revoked, latest first; with who
    made it and its org units read alongside (two queries for a page of any length)."""
    return (
        ApiClient.objects.select_related("created_by")
        .prefetch_related(Prefetch("org_units", queryset=OrgUnit.objects.order_by("name")))
        .order_by(F("revoked_at").desc(nulls_first=True), "name", "id")
    )


def org_units_search(*, viewer, text: str):
    """Org units the viewer may see whose name or code holds every word of `text`, by
    name; at most ORG_UNIT_SEARCH_LIMIT of them."""
    words = text.split()[:4]
    # Control characters name nothing (and PostgreSQL refuses NUL in a query).
    if not words or has_control_characters(text):
        return OrgUnit.objects.none()
    units = OrgUnit.objects.visible_to(viewer)
    for word in words:
        units = units.filter(Q(name__icontains=word) | Q(code__icontains=word))
    return units.select_related("parent").order_by("name", "code")[:ORG_UNIT_SEARCH_LIMIT]


def org_units_coded(codes: list[str]) -> tuple[list[OrgUnit], list[str]]:
    """The org unit each code names, in the codes' order, and the codes naming none; in one
    query. Codes are unique, and matched whatever their case."""
    lowered = {code.lower() for code in codes}
    by_code = {
        unit.code.lower(): unit
        for unit in OrgUnit.objects.annotate(code_lower=Lower("code")).filter(
            code_lower__in=lowered
        )
    }
    found, unknown = [], []
    for code in codes:
        unit = by_code.get(code.lower())
        if unit is None:
            unknown.append(code)
        elif unit not in found:
            found.append(unit)
    return found, unknown
