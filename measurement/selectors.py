"""Reads for sponsors: their programs, a program's dashboard, its reviews."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import FirstValue, TruncMonth
from django.utils import timezone

from coaching.models import Feedback, FeedbackWindow, Observation
from objectives.models import BehaviouralIndicator, Competency, LearningObjective
from programs.models import Enrolment, Program, StepProgress
from talentdev.core.access import is_hr_admin

from .charts import line_chart
from .experiences import experience_effects
from .models import Assessment, Measurement, OutcomeMetric, SponsorReview, SuccessStory
from .privacy import suppressed
from .rollups import time_to_competency


def sponsored_programs(*, user):
    """The programs a person sponsors (every program for an HR admin), with learner counts."""
    programs = Program.objects.all() if is_hr_admin(user) else Program.objects.filter(sponsors=user)
    return programs.annotate(
        learners=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN))
    ).order_by("name")


OVERVIEW_COUNTS = (
    "learners",
    "completed",
    "competent",
    "steps_total",
    "steps_done",
    "met",
    "missed",
    "metrics_measured",
    "metrics_on_target",
)


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def _by_program(queryset, program_field, **aggregates):
    """One grouped query: {program id: {name: aggregate}}."""
    rows = queryset.values(program_field).annotate(**aggregates).order_by()
    return {row.pop(program_field): row for row in rows}


def _overview_figures(program_ids):
    """Per program, the counts the overview shows; one grouped query per source."""
    current = ~Q(status=Enrolment.Status.WITHDRAWN)
    learners = _by_program(
        Enrolment.objects.filter(program_id__in=program_ids),
        "program_id",
        learners=Count("id", filter=current),
        completed=Count("id", filter=Q(status=Enrolment.Status.COMPLETED)),
        competent=Count("id", filter=current & Q(competent_on__isnull=False)),
    )
    steps = _by_program(
        StepProgress.objects.filter(enrolment__program_id__in=program_ids).exclude(
            enrolment__status=Enrolment.Status.WITHDRAWN
        ),
        "enrolment__program_id",
        steps_total=Count("id"),
        steps_done=Count("id", filter=Q(status=StepProgress.Status.COMPLETED)),
    )
    windows = _by_program(
        FeedbackWindow.objects.filter(observation__enrolment__program_id__in=program_ids),
        "observation__enrolment__program_id",
        met=Count("id", filter=Q(status=FeedbackWindow.Status.MET)),
        missed=Count("id", filter=Q(status=FeedbackWindow.Status.MISSED)),
    )
    metrics = _metrics_on_target(program_ids)
    figures = {}
    for pk in program_ids:
        row = dict.fromkeys(OVERVIEW_COUNTS, 0)
        for source in (learners, steps, windows, metrics):
            row.update(source.get(pk, {}))
        figures[pk] = row
    return figures


def _metrics_on_target(program_ids):
    """Per program, metrics with a value and those at or beyond target, judged on each
    metric's latest month combined as the metric says: the value its chart ends on."""
    program_level = Measurement.objects.filter(
        metric__program_id__in=program_ids, enrolment__isnull=True
    )
    newest = program_level.values("metric_id").annotate(at=Max("measured_at")).order_by()
    # Then only each metric's newest month is read, through the (metric, measured_at) index,
    # so years of values cost nothing here.
    in_newest_month = Q(pk__in=[])
    for row in newest:
        month_start = timezone.localtime(row["at"]).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        in_newest_month |= Q(metric_id=row["metric_id"], measured_at__gte=month_start)
    current = monthly_values(program_level.filter(in_newest_month)).values(
        "metric_id",
        "metric__program_id",
        "metric__aggregation",
        "metric__direction",
        "metric__target",
        *COMBINED.values(),
    )
    # Every row of a metric's newest month carries the same combined values; keep one.
    newest_rows = {row["metric_id"]: row for row in current}
    counts = {}
    for row in newest_rows.values():
        value = row[COMBINED[row["metric__aggregation"]]]
        increase = row["metric__direction"] == OutcomeMetric.Direction.INCREASE
        reached = value >= row["metric__target"] if increase else value <= row["metric__target"]
        tally = counts.setdefault(
            row["metric__program_id"], {"metrics_measured": 0, "metrics_on_target": 0}
        )
        tally["metrics_measured"] += 1
        tally["metrics_on_target"] += reached
    return counts


def _overview_row(figures):
    """Shares from counts; learner-based figures hidden below the privacy threshold."""
    hidden = suppressed(figures["learners"])
    return {
        **figures,
        "suppressed": hidden,
        "completion_share": None if hidden else _share(figures["completed"], figures["learners"]),
        "competent_share": None if hidden else _share(figures["competent"], figures["learners"]),
        "steps_share": None if hidden else _share(figures["steps_done"], figures["steps_total"]),
        "compliance": None
        if hidden
        else _share(figures["met"], figures["met"] + figures["missed"]),
    }


def sponsor_overview(*, user):
    """Every program a person sponsors with its headline figures, and their totals.

    Counts are database aggregates grouped by program; totals add those counts and work the
    shares out again from them, so a small program weighs by its size, not as one program.
    Totals cover only the programs whose figures are shown: adding a hidden program in would
    let anyone subtract its figures back out.
    """
    latest_review = SponsorReview.objects.filter(program=OuterRef("pk")).order_by("-period_end")
    programs = list(
        sponsored_programs(user=user).annotate(
            review_status=Subquery(latest_review.values("status")[:1]),
            review_id=Subquery(latest_review.values("pk")[:1]),
        )
    )
    figures = _overview_figures([program.pk for program in programs]) if programs else {}
    rows = [
        {
            "program": program,
            "review": program.review_status and SponsorReview.Status(program.review_status).label,
            **_overview_row(figures[program.pk]),
        }
        for program in programs
    ]
    shown = [row for row in rows if not row["suppressed"]]
    totals = {key: sum(row[key] for row in shown) for key in OVERVIEW_COUNTS}
    return {
        "rows": rows,
        "totals": _overview_row(totals) if shown else None,
        "hidden": len(rows) - len(shown),
    }


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
    return measurements.filter(enrolment__isnull=True).annotate(
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
    distribution = competency_time_distribution(program=program)
    return {
        "learners": learners,
        "suppressed": suppressed(learners),
        "latest": latest,
        "snapshot": snapshot,
        "proficiency": proficiency,
        "metrics": metric_series(program=program),
        "reviews": reviews,
        "funnel": completion_funnel(program=program),
        "time_to_competency": distribution,
        # The spread of fewer than MIN_GROUP people's times would show each person's time.
        "time_to_competency_suppressed": suppressed(sum(row["learners"] for row in distribution)),
        "knows_and_does": knows_and_does(program=program),
        "stories": published_stories(program=program),
        "experiences": experience_effects(program=program),
    }


def completion_funnel(*, program):
    """Per step position of the current pathway versions: learners who completed it."""
    rows = (
        StepProgress.objects.filter(enrolment__program=program)
        .exclude(enrolment__status=Enrolment.Status.WITHDRAWN)
        .values("step__position")
        .annotate(
            learners=Count("enrolment", distinct=True),
            completed=Count("id", filter=Q(status=StepProgress.Status.COMPLETED)),
            title=Max("step__title"),
        )
        .order_by("step__position")
    )
    return list(rows)


def competency_time_distribution(*, program):
    """How many learners reached competency within 30, 60, 90, 180 days and later."""
    buckets = [30, 60, 90, 180]
    enrolments = Enrolment.objects.filter(program=program, competent_on__isnull=False).annotate(
        took=time_to_competency()
    )
    counts = enrolments.aggregate(
        **{
            f"within_{days}": Count("id", filter=Q(took__lte=timedelta(days=days)))
            for days in buckets
        },
        total=Count("id"),
    )
    result, previous = [], 0
    for days in buckets:
        result.append({"label": f"≤ {days} days", "learners": counts[f"within_{days}"] - previous})
        previous = counts[f"within_{days}"]
    result.append({"label": f"> {buckets[-1]} days", "learners": counts["total"] - previous})
    return result


def knows_and_does(*, program):
    """Per competency: the learning level beside the performance level, so a gap shows.

    The learning level is the mean of each current learner's latest baseline or checkpoint
    level (a baseline taken before the program is not what they know now); the performance
    level is the mean rating of their observations on the performance objectives derived
    from the competency. A figure from fewer than MIN_GROUP learners is withheld (None) and
    its row marked suppressed; a side with no learners yet is None without hiding the other.
    """
    kinds = [Assessment.Kind.BASELINE, Assessment.Kind.CHECKPOINT]
    latest = (
        Assessment.objects.filter(
            enrolment=OuterRef("enrolment"), competency=OuterRef("competency"), kind__in=kinds
        )
        .order_by("-assessed_on", "-id")
        .values("id")[:1]
    )
    assessed = (
        Assessment.objects.filter(enrolment__program=program, kind__in=kinds, id=Subquery(latest))
        .exclude(enrolment__status=Enrolment.Status.WITHDRAWN)
        .values("competency__code", "competency__name")
        .annotate(learners=Count("enrolment", distinct=True), level=Avg("assessed_level__rank"))
    )
    # An objective may derive from several learning objectives of one competency; joining
    # through them would count its observations once for each, so a link is tested instead.
    observations = (
        Observation.objects.filter(enrolment__program=program)
        .exclude(enrolment__status=Enrolment.Status.WITHDRAWN)
        .filter(
            Exists(
                LearningObjective.objects.filter(
                    performance_objectives=OuterRef("performance_objective"),
                    competency=OuterRef(OuterRef("pk")),
                )
            )
        )
        .order_by()
        .values("enrolment__program")  # a single group: all of the competency's observations
    )
    observed = (
        Competency.objects.filter(
            pk__in=LearningObjective.objects.filter(program=program).values("competency")
        )
        .annotate(
            learners=Subquery(observations.annotate(n=Count("learner", distinct=True)).values("n")),
            rating=Subquery(observations.annotate(mean=Avg("rating")).values("mean")),
        )
        .filter(learners__gt=0)
        .values("code", "name", "learners", "rating")
    )
    rows = {
        row["competency__code"]: {
            "code": row["competency__code"],
            "name": row["competency__name"],
            "assessed_learners": row["learners"],
            "level": row["level"],
            "observed_learners": 0,
            "rating": None,
        }
        for row in assessed
    }
    for row in observed:
        entry = rows.setdefault(
            row["code"],
            {"code": row["code"], "name": row["name"], "assessed_learners": 0, "level": None},
        )
        entry["observed_learners"] = row["learners"]
        entry["rating"] = row["rating"]
    for entry in rows.values():
        entry["suppressed"] = False
        for learners, figure in (("assessed_learners", "level"), ("observed_learners", "rating")):
            if suppressed(entry[learners]):
                entry["suppressed"] = entry["suppressed"] or entry[learners] > 0
                entry[figure] = None
            else:
                entry[figure] = round(entry[figure], 2)
    return sorted(rows.values(), key=lambda entry: entry["code"])


def published_stories(*, program):
    return SuccessStory.objects.filter(program=program, published=True).select_related(
        "metric", "step", "assignment"
    )


@dataclass
class ObjectiveEvidence:
    """A performance objective with the learner's evidence against it."""

    objective: object
    observations: list = field(default_factory=list)

    @property
    def feedback_count(self) -> int:
        """How many of the observations came with feedback."""
        return sum(bool(o.feedback.all()) for o in self.observations)


def objectives_for_learner(*, learner):
    """Per current enrolment: each learning objective (the why) with the performance objectives
    derived from it (the what) and the learner's observations, feedback and assessments."""
    enrolments = list(Enrolment.objects.current().filter(learner=learner).select_related("program"))
    program_ids = [e.program_id for e in enrolments]
    learning = (
        LearningObjective.objects.filter(program_id__in=program_ids)
        .select_related("competency")
        .prefetch_related("performance_objectives")
        .order_by("id")
    )
    observations = (
        Observation.objects.filter(learner=learner, enrolment__in=enrolments)
        .select_related("observer")
        .prefetch_related(Prefetch("feedback", queryset=Feedback.objects.select_related("giver")))
        .order_by("-observed_at")
    )
    assessments = (
        Assessment.objects.filter(enrolment__in=enrolments)
        .select_related("assessed_level")
        .order_by("assessed_on")
    )
    by_objective, by_competency = {}, {}
    for observation in observations:
        by_objective.setdefault(observation.performance_objective_id, []).append(observation)
    for assessment in assessments:
        by_competency.setdefault((assessment.enrolment_id, assessment.competency_id), []).append(
            assessment
        )
    result = []
    for enrolment in enrolments:
        items = []
        for lo in learning:
            if lo.program_id != enrolment.program_id:
                continue
            items.append(
                {
                    "learning": lo,
                    "assessments": by_competency.get((enrolment.pk, lo.competency_id), []),
                    "performance": [
                        ObjectiveEvidence(po, by_objective.get(po.pk, []))
                        for po in lo.performance_objectives.all()
                    ],
                }
            )
        result.append({"enrolment": enrolment, "objectives": items})
    return result


RECENT_MEASUREMENTS = 20


def metrics_page(*, program) -> dict:
    """A designer's view of the program's metrics: each with how many values it has and
    when it was last measured, and the most recent values recorded."""
    listing = (
        OutcomeMetric.objects.filter(program=program)
        .annotate(values=Count("measurements"), last=Max("measurements__measured_at"))
        .order_by("name")
    )
    recent = (
        Measurement.objects.filter(metric__program=program)
        .select_related("metric", "enrolment__learner")
        .order_by("-measured_at")[:RECENT_MEASUREMENTS]
    )
    return {"listing": listing, "recent": recent}


def self_assessment_choice(*, learner, competency_pk: str = "") -> dict:
    """The competencies a learner may rate themselves on (those their current programs
    build), the one asked for (else the first) and the enrolment the rating belongs to."""
    enrolments = Enrolment.objects.current().filter(learner=learner)
    competencies = (
        Competency.objects.filter(learning_objectives__program__enrolments__in=enrolments)
        .distinct()
        .order_by("code")
    )
    chosen = competencies.filter(pk=competency_pk).first() if competency_pk.isdigit() else None
    competency = chosen or competencies.first()
    enrolment = (
        enrolments.filter(program__learning_objectives__competency=competency).first()
        if competency
        else None
    )
    return {"competencies": competencies, "competency": competency, "enrolment": enrolment}


def self_assessment_levels(*, learner, competency, levels) -> dict:
    """Each level of the competency's scale with its observable behaviours, and the
    learner's past ratings of it, newest first."""
    by_level = {}
    for indicator in BehaviouralIndicator.objects.filter(competency=competency):
        by_level.setdefault(indicator.level_id, []).append(indicator.description)
    history = (
        Assessment.objects.filter(enrolment__learner=learner, competency=competency)
        .select_related("assessed_level")
        .order_by("-assessed_on")
    )
    return {
        "levels": [(level, by_level.get(level.pk, [])) for level in levels],
        "history": history,
    }
