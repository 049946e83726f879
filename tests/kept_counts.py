"""The count of values each outcome metric keeps, beside the count of its stored values."""

from django.db.models import Count

from measurement.models import OutcomeMetric


def values_counts() -> dict[str, tuple[int, int]]:
    """Each metric, by name and program, with its kept and its live count of values."""
    metrics = OutcomeMetric.objects.annotate(live=Count("measurements")).order_by("pk")
    return {f"{m.program_id}/{m.name}": (m.values_count, m.live) for m in metrics}


def assert_values_counted() -> None:
    """Every metric keeps exactly as many values as it has."""
    counts = values_counts()
    assert counts
    assert {name: kept for name, (kept, _live) in counts.items()} == {
        name: live for name, (_kept, live) in counts.items()
    }
