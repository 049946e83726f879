"""Reads for sponsors: their programs, a program's dashboard, its reviews."""

from django.db.models import Avg, Count, Max, Q, Sum
from django.db.models.functions import TruncMonth

from programs.models import Enrolment, Program
from talentdev.access import is_hr_admin

from .charts import line_chart
from .models import Measurement, OutcomeMetric, SponsorReview
from .privacy import suppressed


def sponsored_programs(*, user):
    """The programs a person sponsors (every program for an HR admin), with learner counts."""
    programs = Program.objects.all() if is_hr_admin(user) else Program.objects.filter(sponsors=user)
    return programs.annotate(
        learners=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN))
    ).order_by("name")


def metric_series(*, program):
    """Each outcome metric with its program-level values by month, aggregated in the database."""
    metrics = list(OutcomeMetric.objects.filter(program=program).order_by("name"))
    rows = (
        Measurement.objects.filter(metric__program=program, enrolment__isnull=True)
        .annotate(month=TruncMonth("measured_at"))
        .values("metric_id", "month")
        .annotate(mean=Avg("value"), total=Sum("value"), last=Max("value"))
        .order_by("metric_id", "month")
    )
    by_metric = {}
    for row in rows:
        by_metric.setdefault(row["metric_id"], []).append(row)
    result = []
    for metric in metrics:
        key = {"mean": "mean", "sum": "total", "latest": "last"}[metric.aggregation]
        series = [
            (row["month"].strftime("%b %Y"), float(row[key]))
            for row in by_metric.get(metric.pk, [])
        ]
        result.append(
            {
                "metric": metric,
                "series": series,
                "chart": line_chart(
                    series, baseline=float(metric.baseline), target=float(metric.target)
                ),
            }
        )
    return result


def program_dashboard(*, program):
    """The latest rolled-up review, the metric series and past reviews, with suppression."""
    reviews = list(SponsorReview.objects.filter(program=program).order_by("-period_end")[:12])
    latest = reviews[0] if reviews else None
    learners = program.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).count()
    snapshot = latest.snapshot if latest else {}
    proficiency = [
        {"code": code, **row, "suppressed": suppressed(row["learners"])}
        for code, row in (snapshot.get("proficiency_change") or {}).items()
    ]
    return {
        "learners": learners,
        "suppressed": suppressed(learners),
        "latest": latest,
        "snapshot": snapshot,
        "proficiency": proficiency,
        "metrics": metric_series(program=program),
        "reviews": reviews,
    }
