"""The sponsor overview: every program a person sponsors with its headline figures."""

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from coaching.models import FeedbackWindow
from programs.history import competent_by, progress_at, status_at
from programs.models import Enrolment, Program, current_enrolment
from programs.rules import sponsored_program_ids
from talentdev.core.access import is_hr_admin
from talentdev.core.paging import window_of
from talentdev.core.validators import within_sane_years

from .figures import fresh_figures
from .models import Measurement, OutcomeMetric, SponsorReview
from .privacy import suppressed, withhold
from .selectors import COMBINED, monthly_values


def sponsored_programs(*, user):
    """The programs a person sponsors (every program for an HR admin), by name."""
    programs = Program.objects.all()
    if not is_hr_admin(user):
        programs = programs.filter(pk__in=sponsored_program_ids(user))
    return programs.order_by("name")


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


def overview_counts(program_ids):
    """Per program, the counts the overview shows, counted now; one grouped query per
    source. Completion, competency and steps are read from the progress history as of now,
    as sponsor reviews read it at a period's end."""
    now = timezone.now()
    current = current_enrolment()
    learners = _by_program(
        Enrolment.objects.filter(program_id__in=program_ids).annotate(
            status_then=status_at(now), competent_then=competent_by(now)
        ),
        "program_id",
        learners=Count("id", filter=current),
        completed=Count("id", filter=Q(status_then=Enrolment.Status.COMPLETED)),
        competent=Count("id", filter=current & Q(competent_then=True)),
    )
    steps = _by_program(
        progress_at(now, Enrolment.objects.filter(program_id__in=program_ids)),
        "enrolment__program_id",
        steps_total=Count("id"),
        steps_done=Count("id", filter=Q(completed_then=True)),
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
        within_sane_years("measured_at"), metric__program_id__in=program_ids, enrolment__isnull=True
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
    """Shares from counts; below the privacy threshold only the size of the program shows
    (as "fewer than MIN_GROUP"), every other learner figure is withheld."""
    hidden = suppressed(figures["learners"])
    windows = figures["met"] + figures["missed"]
    return {
        "learners": figures["learners"],
        **withhold(
            hidden,
            completed=figures["completed"],
            competent=figures["competent"],
            completion_share=_share(figures["completed"], figures["learners"]),
            competent_share=_share(figures["competent"], figures["learners"]),
            steps_share=_share(figures["steps_done"], figures["steps_total"]),
            compliance=_share(figures["met"], windows),
            windows=windows,
        ),
        "metrics_measured": figures["metrics_measured"],
        "metrics_on_target": figures["metrics_on_target"],
    }


# A page of the overview; the totals still cover every program the person sponsors.
OVERVIEW_PAGE_SIZE = 50


def sponsor_overview(*, user, page=None):
    """The programs a person sponsors with their headline figures, and the totals over all
    of them. `page` (as typed in a link) shows that page of OVERVIEW_PAGE_SIZE programs;
    without it every program is listed (the CSV).

    Counts are database aggregates grouped by program; totals add those counts and work the
    shares out again from them, so a small program weighs by its size, not as one program.
    Totals cover only the programs whose figures are shown: adding a hidden program in would
    let anyone subtract its figures back out.
    """
    sponsored = sponsored_programs(user=user)
    kept = fresh_figures(sponsored.values("pk"))
    uncounted = sponsored.exclude(pk__in=kept.values("program_id")).values_list("pk", flat=True)
    # Programs nobody has counted lately (a new one, or no worker running) are counted now;
    # building the counting queries alone costs tens of milliseconds, so only then.
    figures = overview_counts(missing) if (missing := list(uncounted)) else {}
    # Each program's kept counts, one small row per program, for its line and the totals.
    counted_at = [timezone.now()] if figures else []
    for pk, counts, computed_at in kept.values_list("program_id", "overview", "computed_at"):
        figures[pk] = counts
        counted_at.append(computed_at)
    latest_review = SponsorReview.objects.filter(program=OuterRef("pk")).order_by("-period_end")
    programs = sponsored.annotate(
        review_status=Subquery(latest_review.values("status")[:1]),
        review_id=Subquery(latest_review.values("pk")[:1]),
    )
    listed = list(programs) if page is None else window_of(programs, page, OVERVIEW_PAGE_SIZE)
    rows = [
        {
            "program": program,
            "review": program.review_status and SponsorReview.Status(program.review_status).label,
            **_overview_row(figures[program.pk]),
        }
        for program in listed
    ]
    shown = [counts for counts in figures.values() if not suppressed(counts["learners"])]
    totals = {key: sum(counts[key] for counts in shown) for key in OVERVIEW_COUNTS}
    return {
        "rows": rows,
        "page": None if page is None else listed,
        "totals": _overview_row(totals) if shown else None,
        "hidden": len(figures) - len(shown),
        # As of when: the oldest kept count among them, or now when one is counted live.
        "figures_at": min(counted_at, default=timezone.now()),
    }
