"""Sponsor review rollups: programs' results for one period, computed in the database.

A period runs from 00:00 UTC on its first day to 00:00 UTC on its end day (exclusive),
whatever the server's time zone, so every worker rolls up the same figures. Enrolments,
steps and competency are counted from the progress history as it stood at the period's
end (programs.history), not as they are now; events (feedback windows closing,
assignments presented) are those inside the period. Each figure is one database aggregate
grouped by program, for every program rolled up at once: nothing loops over rows in Python,
and the number of queries is the same however many programs and learners there are.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import FeedbackWindow
from objectives.models import Competency, ProficiencyLevel
from people.models import Notification
from people.notifications import Notice, notify_many
from programs.history import began_by, competent_by, day_start, enrolments_at, step_counts_at
from programs.models import Assignment, Enrolment, Program
from talentdev.core.audit import bulk_history
from talentdev.core.services import insert_new

from .models import Assessment, Measurement, OutcomeMetric, SponsorReview


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def period_bounds(period_start: date, period_end: date) -> tuple[dt.datetime, dt.datetime]:
    """A review period's first and first-excluded instants, in UTC."""
    return day_start(period_start), day_start(period_end)


def review_period(review: SponsorReview) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants a review's figures were counted between, as stored with them; a
    review stored without them covered its days' UTC bounds."""
    period = review.snapshot.get("period", {})
    if "start_utc" not in period:
        return period_bounds(review.period_start, review.period_end)
    return (
        dt.datetime.fromisoformat(period["start_utc"]),
        dt.datetime.fromisoformat(period["end_utc"]),
    )


def time_to_competency():
    """Enrolment to reached competency, as a database expression (a duration)."""
    return ExpressionWrapper(F("competent_on") - F("enrolled_on"), output_field=DurationField())


def _by_program(queryset, program_field, **aggregates) -> dict[int, dict]:
    """One grouped query: {program id: {name: aggregate}}."""
    rows = queryset.values(program_field).annotate(**aggregates).order_by()
    return {row.pop(program_field): row for row in rows}


def _enrolments_by_status(program_ids, end) -> dict[int, dict[str, int]]:
    rows = (
        enrolments_at(end, Enrolment.objects.filter(program_id__in=program_ids))
        .values_list("program_id", "status_then")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = defaultdict(dict)
    for program_id, status, n in rows:
        counts[program_id][status] = n
    return counts


def _median_days_to_competency(program_ids, end) -> dict[int, tuple[float, int]]:
    """By program: the median days to competency of the learners begun by `end` who had
    reached it by then, and how many learners it is the median of. Only each program's
    middle one or two learners are read, picked by the database."""
    of_program = {"partition_by": F("program_id")}
    middle = (
        Enrolment.objects.filter(began_by(end), competent_by(end), program_id__in=program_ids)
        .annotate(
            took=time_to_competency(),
            place=Window(RowNumber(), order_by=F("took").asc(), **of_program),
            reached=Window(Count("id"), **of_program),
        )
        # of n in order, places (n + 1) // 2 to n // 2 + 1: the middle one or middle two
        .filter(place__gte=(F("reached") + 1) / 2, place__lte=F("reached") / 2 + 1)
        .values_list("program_id", "took", "reached")
        .order_by()  # the middle ones in any order: their mean is the median
    )
    took, reached = defaultdict(list), {}
    for program_id, days, n in middle:
        took[program_id].append(days.total_seconds())
        reached[program_id] = n
    return {
        pk: (round((seconds[0] + seconds[-1]) / 2 / 86400, 1), reached[pk])
        for pk, seconds in took.items()
    }


# Each baseline assessment beside the latest baseline or checkpoint of its learner and
# competency before the end day (assessments are dated by day), in one pass over them with
# window functions, in the order of their index (assessment_enrol_comp_date), so nothing is
# sorted before the grouping. A subquery for each baseline costs an index search each:
# seconds at a company's size. The window also counts each pair's baselines newest first,
# so its newest one (the first counted) marks a learner of the competency. The baselines
# are then grouped by program, competency and the two levels (a few thousand groups of a
# company's hundreds of thousands of baselines), and the levels' ranks are looked up and
# averaged per code on those: no sort of every baseline, as a count of distinct learners
# would need. A learner counts once per code, so where two competencies share a code (of
# different frameworks) the second SELECT counts that code's learners as distinct
# enrolments: it reads nothing while codes are unique.
PROFICIENCY_SQL = """
WITH assessed AS (
    SELECT e.program_id, a.competency_id, a.kind, a.assessed_level_id,
           FIRST_VALUE(a.assessed_level_id) OVER newest_first AS latest_level_id,
           SUM(CASE WHEN a.kind = %s THEN 1 ELSE 0 END) OVER newest_first AS baselines_so_far
    FROM {assessment} a JOIN {enrolment} e ON e.id = a.enrolment_id
    WHERE a.kind IN (%s, %s) AND a.assessed_on < %s AND e.program_id IN ({programs})
    WINDOW newest_first AS (
        PARTITION BY a.enrolment_id, a.competency_id ORDER BY a.assessed_on DESC, a.id DESC
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    )
), by_levels AS (
    SELECT program_id, competency_id, assessed_level_id, latest_level_id,
           COUNT(*) AS baselines, SUM(CASE WHEN baselines_so_far = 1 THEN 1 ELSE 0 END) AS learners
    FROM assessed
    WHERE kind = %s
    GROUP BY program_id, competency_id, assessed_level_id, latest_level_id
)
SELECT g.program_id, c.code, SUM(g.learners),
       SUM(g.baselines * baseline.rank) * 1.0 / SUM(g.baselines),
       SUM(g.baselines * latest.rank) * 1.0 / SUM(g.baselines)
FROM by_levels g
JOIN {level} baseline ON baseline.id = g.assessed_level_id
JOIN {level} latest ON latest.id = g.latest_level_id
JOIN {competency} c ON c.id = g.competency_id
GROUP BY g.program_id, c.code
UNION ALL
SELECT e.program_id, c.code, COUNT(DISTINCT a.enrolment_id), NULL, NULL
FROM {assessment} a
JOIN {enrolment} e ON e.id = a.enrolment_id
JOIN {competency} c ON c.id = a.competency_id
WHERE a.kind = %s AND a.assessed_on < %s AND e.program_id IN ({programs})
  AND c.code IN (SELECT code FROM {competency} GROUP BY code HAVING COUNT(*) > 1)
GROUP BY e.program_id, c.code
ORDER BY 1, 2
"""


def _proficiency_change(program_ids, period_end) -> dict[int, dict]:
    if not program_ids:
        return {}
    sql = PROFICIENCY_SQL.format(
        assessment=Assessment._meta.db_table,
        level=ProficiencyLevel._meta.db_table,
        enrolment=Enrolment._meta.db_table,
        competency=Competency._meta.db_table,
        programs=", ".join(["%s"] * len(program_ids)),
    )
    K = Assessment.Kind
    params = [K.BASELINE, K.BASELINE, K.CHECKPOINT, period_end, *program_ids, K.BASELINE]
    params += [K.BASELINE, period_end, *program_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    means, shared = {}, {}
    for program_id, code, learners, baseline, latest in rows:
        if baseline is None:  # the learners of a code two competencies share
            shared[program_id, code] = learners
        else:
            means[program_id, code] = (learners, baseline, latest)
    change = defaultdict(dict)
    for (program_id, code), (learners, baseline, latest) in means.items():
        # as AVG gives them, and as Django's Avg did: PostgreSQL's numeric (its sums of
        # integers are numeric, divided as AVG divides), SQLite's real, as a float
        baseline, latest = float(baseline), float(latest)
        change[program_id][code] = {
            "learners": int(shared.get((program_id, code), learners)),
            "baseline": round(baseline, 2),
            "latest": round(latest, 2),
            "change": round(latest - baseline, 2),
        }
    return change


def _metrics(program_ids, end) -> dict[int, list[dict]]:
    latest = Subquery(
        Measurement.objects.filter(
            metric=OuterRef("pk"), enrolment__isnull=True, measured_at__lt=end
        )
        .order_by("-measured_at", "-id")
        .values("value")[:1]
    )
    metrics = defaultdict(list)
    for metric in (
        OutcomeMetric.objects.filter(program_id__in=program_ids)
        .annotate(latest=latest)
        .order_by("program_id", "name")
    ):
        span = metric.target - metric.baseline
        metrics[metric.program_id].append(
            {
                "name": metric.name,
                "unit": metric.unit,
                "direction": metric.direction,
                "baseline": float(metric.baseline),
                "target": float(metric.target),
                "latest": None if metric.latest is None else float(metric.latest),
                "progress_to_target": None
                if metric.latest is None
                else round(float((metric.latest - metric.baseline) / span), 4),
            }
        )
    return metrics


def program_snapshots(*, programs, period_start: date, period_end: date) -> dict[int, dict]:
    """The figures a sponsor reads for each of `programs` over one period (end exclusive),
    by program id; each figure is one query for all of them.

    Enrolments are counted by their status at the period's end, steps completed and
    competency reached by then; a learner who withdrew or completed after the end still
    counts as they stood at it.
    """
    start, end = period_bounds(period_start, period_end)
    ids = [program.pk for program in programs]
    by_status = _enrolments_by_status(ids, end)
    steps = step_counts_at(end, Enrolment.objects.filter(program_id__in=ids))
    competency = _median_days_to_competency(ids, end)
    # A range on closes_at, which its index serves (closes_at__date would not).
    windows = _by_program(
        FeedbackWindow.objects.filter(
            observation__enrolment__program_id__in=ids, closes_at__gte=start, closes_at__lt=end
        ),
        "observation__enrolment__program_id",
        # Counted by status (never empty), which their index holds: no window row is read.
        met=Count("status", filter=Q(status=FeedbackWindow.Status.MET)),
        missed=Count("status", filter=Q(status=FeedbackWindow.Status.MISSED)),
    )
    assignments = _by_program(
        Assignment.objects.filter(enrolment__program_id__in=ids),
        "enrolment__program_id",
        completed=Count("id", filter=Q(status__in=Assignment.DONE_STATUSES, submitted_at__lt=end)),
        presented=Count(
            "id", filter=Q(presented_on__gte=period_start, presented_on__lt=period_end)
        ),
    )
    proficiency = _proficiency_change(ids, period_end)
    metrics = _metrics(ids, end)

    snapshots = {}
    for pk in ids:
        done, total = steps.get(pk, (0, 0))
        median_days, reached = competency.get(pk, (None, 0))
        closed = windows.get(pk, {"met": 0, "missed": 0})
        snapshots[pk] = {
            "period": {
                "start": period_start.isoformat(),
                "end": period_end.isoformat(),
                "start_utc": start.isoformat(),
                "end_utc": end.isoformat(),
            },
            "enrolments": {
                status: by_status.get(pk, {}).get(status, 0) for status in Enrolment.Status.values
            },
            "pathway_completion": {
                "steps_completed": done,
                "steps_total": total,
                "share": _share(done, total),
            },
            "median_days_to_competency": median_days,
            "competency_reached": reached,
            "feedback_window_compliance": {
                **closed,
                "share": _share(closed["met"], closed["met"] + closed["missed"]),
            },
            "proficiency_change": proficiency.get(pk, {}),
            "outcome_metrics": metrics.get(pk, []),
            "assignments": assignments.get(pk, {"completed": 0, "presented": 0}),
        }
    return snapshots


def program_snapshot(*, program: Program, period_start: date, period_end: date) -> dict:
    """The figures a sponsor reads for one program and period (end exclusive), as
    program_snapshots() counts them."""
    snapshots = program_snapshots(
        programs=[program], period_start=period_start, period_end=period_end
    )
    return snapshots[program.pk]


def _without_jit():
    # PostgreSQL's JIT compiles each big aggregate to machine code before running it; on
    # the rollup's queries that takes longer than it saves. Until the transaction ends.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _review_ready(review: SponsorReview, program: Program, sponsor_id: int) -> Notice:
    return Notice(
        recipient_id=sponsor_id,
        kind=Notification.Kind.REVIEW_READY,
        key=f"sponsor-review:{review.pk}:{sponsor_id}",
        title=_("%(program)s: the review for %(start)s to %(end)s is ready")
        % {"program": program, "start": review.period_start, "end": review.last_day},
        body=_("The rolled-up results of %(program)s are ready for your review.")
        % {"program": program},
        url=reverse("sponsor:review", args=[review.pk]),
    )


def sponsor_reviews_rollup(
    *, programs, period_start: date, period_end: date
) -> list[SponsorReview]:
    """Create or refresh each program's review for the period and tell its sponsors, once,
    that it is ready; returns the reviews in the order of `programs`. The figures are read
    and the reviews written in the same few queries whatever the number of programs.

    Re-running a period updates the same reviews; a review sponsors have already reviewed
    keeps the figures they decided on. Two runs at once write each review once: the second
    waits for the first's new reviews to be committed, then refreshes them.
    """
    programs = list(programs)
    ids = [program.pk for program in programs]
    with transaction.atomic():
        _without_jit()
        snapshots = program_snapshots(
            programs=programs, period_start=period_start, period_end=period_end
        )
        now = timezone.now()
        of_period = {"period_start": period_start, "period_end": period_end}
        # In program order, so two runs at once meet on the same first review and the
        # second waits there for the first to commit, rather than each holding some.
        # Only this insert's own rows come back: a review another run created (even while
        # this one ran) is that run's to record as created.
        created = insert_new(
            SponsorReview,
            [
                SponsorReview(program_id=pk, snapshot=snapshots[pk], generated_at=now, **of_period)
                for pk in sorted(ids)
            ],
        )
        reviews = {
            review.program_id: review
            for review in SponsorReview.objects.select_for_update()
            .filter(program_id__in=ids, **of_period)
            .order_by("pk")
        }
        refreshed = [
            review for review in reviews.values() if review.status != SponsorReview.Status.REVIEWED
        ]
        for review in refreshed:
            review.snapshot = snapshots[review.program_id]
            review.generated_at = review.updated_at = now
        # The audit history leaves the figures out (the job regenerates them every week), so
        # a refresh adds none; a review created by this run is recorded.
        SponsorReview.objects.bulk_update(refreshed, ["snapshot", "generated_at", "updated_at"])
        bulk_history(SponsorReview, [r for r in reviews.values() if r.pk in created], update=False)
        sponsors = Program.sponsors.through.objects.filter(program_id__in=ids).values_list(
            "program_id", "user_id"
        )
        by_pk = {program.pk: program for program in programs}
        for review in reviews.values():
            review.program = by_pk[review.program_id]
        notify_many(
            _review_ready(reviews[program_id], by_pk[program_id], sponsor_id)
            for program_id, sponsor_id in sponsors
        )
    return [reviews[pk] for pk in ids]


def sponsor_review_rollup(*, program: Program, period_start: date, period_end: date):
    """Create or refresh one program's review for the period (sponsor_reviews_rollup())."""
    (review,) = sponsor_reviews_rollup(
        programs=[program], period_start=period_start, period_end=period_end
    )
    return review


def utc_today(now: dt.datetime | None = None) -> date:
    """The date in UTC at `now` (the current moment if None): what the scheduled rollup
    counts weeks from, so workers in any time zone roll up the same week."""
    return timezone.localdate(now, timezone=dt.UTC)


def last_full_week(today: date) -> tuple[date, date]:
    """Monday to Monday of the week before the one `today` is in."""
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(days=7), this_monday


@dataclass(frozen=True)
class RolledUp:
    """What rolling up one program's review now did: the review, whether this created it
    (its sponsors were told), and how many sponsors the program has."""

    review: SponsorReview
    created: bool
    sponsors: int


@transaction.atomic
def sponsor_review_roll_up_now(*, program: Program, now: dt.datetime | None = None) -> RolledUp:
    """One program's review of last week, rolled up now rather than by the weekly job (a
    new program's sponsors need not wait for Monday): the same week, and only an active
    program, as the job rolls up. A review its sponsors have begun to discuss is left as
    they read it: its figures change only with the weekly job's, never on demand."""
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(_("Only an active program's results are rolled up for its sponsors."))
    start, end = last_full_week(utc_today(now))
    # Locked until this commits: a comment or decision now waits for the refreshed figures.
    stored = (
        SponsorReview.objects.select_for_update()
        .filter(program=program, period_start=start, period_end=end)
        .first()
    )
    if stored is not None and stored.status != SponsorReview.Status.READY:
        raise ValidationError(
            _("Its sponsors are already discussing this week's review: it keeps its figures.")
        )
    review = sponsor_review_rollup(program=program, period_start=start, period_end=end)
    return RolledUp(review, created=stored is None, sponsors=program.sponsors.count())


def sponsor_reviews_roll_up(*, now: dt.datetime | None = None) -> int:
    """The scheduled rollup: last week's review for every active program, the week counted
    in UTC. Running it again, or on two workers, refreshes the same reviews."""
    start, end = last_full_week(utc_today(now))
    programs = Program.objects.filter(status=Program.Status.ACTIVE).order_by("pk")
    return len(sponsor_reviews_rollup(programs=programs, period_start=start, period_end=end))
