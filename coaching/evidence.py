"""How coaching's evidence counts toward a step's evidence gate (registered with programs)."""

from django.db.models import Count, Q

from programs.evidence import EvidenceCheck, observation_counter

from .models import Observation


@observation_counter
def observation_evidence_counts_many(*, checks: list[EvidenceCheck]) -> dict:
    """For each check, how many observations of the enrolment against its objectives were
    rated `min_rating` or better between `since` and `until`, and by how many observers.

    Answers every check in one query: one pair of filtered counts per check.
    """
    if not checks:
        return {}
    aggregates = {}
    for index, check in enumerate(checks):
        matching = Q(
            enrolment_id=check.enrolment_id,
            performance_objective_id__in=check.performance_objective_ids,
            rating__gte=check.min_rating,
            observed_at__gte=check.since,
            observed_at__lte=check.until,
        )
        aggregates[f"n{index}"] = Count("id", filter=matching)
        aggregates[f"o{index}"] = Count("observer", filter=matching, distinct=True)
    enrolment_ids = {check.enrolment_id for check in checks}
    counts = Observation.objects.filter(enrolment_id__in=enrolment_ids).aggregate(**aggregates)
    return {
        check.key: (counts[f"n{index}"], counts[f"o{index}"]) for index, check in enumerate(checks)
    }
