"""Reads over coaching records that other apps rely on."""

from django.db.models import Count

from .models import Observation


def observation_evidence_counts(
    *, enrolment, performance_objective_ids, min_rating: int, since, until
) -> tuple[int, int]:
    """How many observations of an enrolment against the given objectives were rated
    `min_rating` or better between `since` and `until`, and by how many observers."""
    counts = Observation.objects.filter(
        enrolment=enrolment,
        performance_objective_id__in=performance_objective_ids,
        rating__gte=min_rating,
        observed_at__gte=since,
        observed_at__lte=until,
    ).aggregate(observations=Count("id"), observers=Count("observer", distinct=True))
    return counts["observations"], counts["observers"]
