"""Which experiences go with better results: learners who completed a kind of step beside
those who did not, on each outcome metric measured per learner.

This is a correlation, not proof that the experience caused the result. Groups smaller
than the privacy threshold are suppressed. Everything is aggregated in the database,
one query per metric; the standard deviation comes from the mean of squares, which
every supported database can compute.
"""

import math

from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from programs.models import Enrolment, Step, StepProgress

from .models import Measurement, OutcomeMetric
from .privacy import suppressed


def _value(metric, order):
    """The learner's first (or last) value of the metric."""
    return Subquery(
        Measurement.objects.filter(metric=metric, enrolment=OuterRef("pk"))
        .order_by(order, "id" if order == "measured_at" else "-id")
        .annotate(as_float=Cast("value", FloatField()))
        .values("as_float")[:1]
    )


def _cohens_d(first, second):
    """Effect size from two groups' means and mean squares (population variances pooled)."""
    (n1, m1, s1), (n2, m2, s2) = first, second
    if min(n1, n2) < 2:
        return None
    v1, v2 = max(s1 - m1 * m1, 0.0), max(s2 - m2 * m2, 0.0)
    pooled = math.sqrt((n1 * v1 + n2 * v2) / (n1 + n2))
    return None if pooled == 0 else round((m1 - m2) / pooled, 2)


def experience_effects(*, program) -> list[dict]:
    """Rows of (metric, step kind): completers' and others' mean change, sizes, effect size."""
    kinds = sorted(
        set(Step.objects.filter(pathway__program=program).values_list("kind", flat=True))
    )
    results = []
    for metric in OutcomeMetric.objects.filter(program=program).order_by("name"):
        flags = {
            f"did_{kind}": Exists(
                StepProgress.objects.filter(
                    enrolment=OuterRef("pk"), step__kind=kind, status=StepProgress.Status.COMPLETED
                )
            )
            for kind in kinds
        }
        enrolments = (
            Enrolment.objects.filter(program=program)
            .exclude(status=Enrolment.Status.WITHDRAWN)
            .annotate(
                first=_value(metric, "measured_at"), last=_value(metric, "-measured_at"), **flags
            )
            .annotate(change=F("last") - F("first"))
        )
        aggregates = {}
        for kind in kinds:
            for side, flag in (("in", True), ("out", False)):
                where = Q(**{f"did_{kind}": flag}, change__isnull=False)
                aggregates[f"{kind}_{side}_n"] = Count("pk", filter=where)
                aggregates[f"{kind}_{side}_mean"] = Avg("change", filter=where)
                aggregates[f"{kind}_{side}_sq"] = Avg(F("change") * F("change"), filter=where)
        numbers = enrolments.aggregate(**aggregates) if kinds else {}
        for kind in kinds:
            groups = [
                (
                    numbers[f"{kind}_{side}_n"],
                    numbers[f"{kind}_{side}_mean"] or 0.0,
                    numbers[f"{kind}_{side}_sq"] or 0.0,
                )
                for side in ("in", "out")
            ]
            hidden = any(suppressed(n) for n, _, _ in groups)
            results.append(
                {
                    "metric": metric,
                    "kind": Step.Kind(kind).label,
                    "completed_n": groups[0][0],
                    "others_n": groups[1][0],
                    "suppressed": hidden,
                    "completed_change": None if hidden else round(groups[0][1], 2),
                    "others_change": None if hidden else round(groups[1][1], 2),
                    "effect_size": None if hidden else _cohens_d(*groups),
                }
            )
    return results
