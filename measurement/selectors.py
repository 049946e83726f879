"""Reads of measurement: sponsors' dashboards and reviews, a designer's metrics and stories."""

from django.db.models import Avg, F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import FirstValue, TruncMonth

from people.models import User
from people.selectors import people_matching
from programs.models import Program
from talentdev.core.validators import within_sane_years

from .charts import line_chart
from .models import Assessment, Measurement, OutcomeMetric, SuccessStory
from .privacy import review_figures
from .rollups import review_period

# Which combined value of a month each aggregation reads.
COMBINED = {
    OutcomeMetric.Aggregation.MEAN: "mean",
    OutcomeMetric.Aggregation.SUM: "total",
    OutcomeMetric.Aggregation.LATEST: "last",
}


def monthly_values(measurements):
    """Program-level measurements, each annotated with its metric's month combined three
    ways: mean, total and the value measured last.

    Window functions over (metric, month) rather than GROUP BY: the latest value of a month
    is the one measured last, which no plain aggregate gives.
    """
    month = [F("metric_id"), TruncMonth("measured_at")]
    in_range = measurements.filter(within_sane_years("measured_at"))
    return in_range.filter(enrolment__isnull=True).annotate(
        month=TruncMonth("measured_at"),
        mean=Window(Avg("value"), partition_by=month),
        total=Window(Sum("value"), partition_by=month),
        last=Window(
            FirstValue("value"),
            partition_by=month,
            order_by=[F("measured_at").desc(), F("id").desc()],
        ),
    )


def metric_series(*, program):
    """Each outcome metric with its program-level values by month, aggregated in the database."""
    metrics = list(OutcomeMetric.objects.filter(program=program).order_by("name"))
    rows = (
        monthly_values(Measurement.objects.filter(metric__program=program))
        .values("metric_id", "month", *COMBINED.values())
        .distinct()
        .order_by("metric_id", "month")
    )
    by_metric = {}
    for row in rows:
        by_metric.setdefault(row["metric_id"], []).append(row)
    result = []
    for metric in metrics:
        key = COMBINED[metric.aggregation]
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


RECENT_MEASUREMENTS = 20


def metrics_page(*, program) -> dict:
    """A designer's view of the program's metrics: each with how many values it has and
    when it was last measured, and the most recent values recorded."""
    # Each figure reads one metric's end of the (metric, measured_at) index: no join of
    # every value to its metric; how many values each has is kept on the metric.
    newest_first = (
        Measurement.objects.filter(metric=OuterRef("pk"))
        .order_by("-measured_at")
        .values("measured_at")
    )
    listing = list(
        OutcomeMetric.objects.filter(program=program)
        .annotate(
            last=Subquery(newest_first[:1]),
            recent_from=Subquery(newest_first[RECENT_MEASUREMENTS - 1 : RECENT_MEASUREMENTS]),
        )
        .order_by("name")
    )
    return {"listing": listing, "recent": _recent(listing)}


def _recent(metrics):
    """The program's latest values across its metrics. The latest of all are never older
    than any one metric's 20th latest, so only values from the newest of those on are read
    and sorted, a few rows of each metric's index rather than its whole series."""
    cutoffs = [metric.recent_from for metric in metrics if metric.recent_from is not None]
    recent = Measurement.objects.filter(metric__in=[metric.pk for metric in metrics])
    if cutoffs:
        recent = recent.filter(measured_at__gte=max(cutoffs))
    return recent.select_related("metric", "enrolment__learner").order_by("-measured_at", "-pk")[
        :RECENT_MEASUREMENTS
    ]


def program_stories(*, program):
    """A program's success stories, published and drafts, newest first, each with the step,
    assignment (and its learner) and metric it names."""
    return (
        SuccessStory.objects.filter(program=program)
        .select_related("step__pathway", "assignment__enrolment__learner", "metric")
        .order_by("-created_at", "-id")
    )


def review_page(*, review) -> dict:
    """A review as sponsors read it: the UTC instants it counted between, its figures
    (withheld where measurement.privacy says), and the comments and decisions made on it."""
    return {
        "period": review_period(review),
        "figures": review_figures(review.snapshot),
        "comments": review.comments.select_related("author"),
        "decisions": review.decisions.select_related("owner", "decided_by"),
    }


def decision_owners(*, program, decided_by=None):
    """Who may own a review's decision: the program's owner, its sponsors and whoever
    decides; active ones. Not its learners or those who follow them: sponsors read a
    program's results in aggregate (measurement.privacy), and whom it names is theirs to
    see only so. Searched as one types (decision_owner_suggestions); review_decision_add
    refuses anyone else."""
    sponsors = Program.sponsors.through.objects.filter(program=program).values("user_id")
    named = [program.owner_id] + ([decided_by.pk] if decided_by is not None else [])
    return User.objects.filter(Q(pk__in=named) | Q(pk__in=sponsors), is_active=True)


def decision_owner_suggestions(*, program, decided_by, text: str):
    """Those who may own a decision (decision_owners) matching what is typed; a few at most."""
    return people_matching(decision_owners(program=program, decided_by=decided_by), text)


def competency_record(*, assessments):
    """Each competency's latest baseline or checkpoint assessment among `assessments` (one
    person's, as the caller may see them): the level they have reached and since when.

    Self-assessments are the learner's own view and do not set the record, as they do not
    decide progression either.
    """
    counted = assessments.exclude(kind=Assessment.Kind.SELF)
    latest = counted.filter(competency=OuterRef("competency")).order_by(
        "-assessed_on", "-created_at", "-pk"
    )
    return (
        counted.filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("competency", "assessed_level")
        .order_by("competency__code", "competency_id")
    )
