"""Reads over competency frameworks."""

from django.db.models import Count, Prefetch

from .models import BehaviouralIndicator, Competency, CompetencyFramework


def frameworks_listing():
    """Every framework version with how many competencies and scales it has."""
    return CompetencyFramework.objects.annotate(
        competency_count=Count("competencies", distinct=True),
        scale_count=Count("scales", distinct=True),
    ).order_by("name", "-version")


def framework_published(*, name: str) -> CompetencyFramework | None:
    """The version of the framework of that name published now, if one is."""
    return CompetencyFramework.objects.filter(
        name=name, status=CompetencyFramework.Status.PUBLISHED
    ).first()


def framework_contents(*, framework) -> dict:
    """A framework's scales with their levels, and its competencies with their behavioural
    indicators by level, in a constant number of queries."""
    competencies = (
        Competency.objects.filter(framework=framework)
        .select_related("parent", "scale")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=BehaviouralIndicator.objects.select_related("level").order_by(
                    "level__rank", "id"
                ),
            )
        )
        .order_by("code")
    )
    return {
        "scales": framework.scales.prefetch_related("levels").order_by("name"),
        "competencies": competencies,
    }
