"""Sponsor review rollups: one program's results for one period, computed in the database.

A period runs from 00:00 UTC on its first day to 00:00 UTC on its end day (exclusive),
whatever the server's time zone, so every worker rolls up the same figures. Enrolments,
steps and competency are counted from the progress history as it stood at the period's
end (programs.history), not as they are now; events (feedback windows closing,
assignments presented) are those inside the period. Each figure is a database aggregate;
nothing loops over rows in Python.
"""

import datetime as dt
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import FeedbackWindow
from people.models import Notification
from people.notifications import notify
from programs.history import day_start, enrolments_at, progress_at
from programs.models import Assignment, Enrolment, Program

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


def _median_days_to_competency(enrolments) -> tuple[float | None, int]:
    """The median days to competency of the enrolments, and how many learners it is the
    median of. `enrolments` are those that had reached competency when it is asked."""
    reached = enrolments.annotate(took=time_to_competency())
    n = reached.count()
    if not n:
        return None, 0
    ordered = reached.order_by("took").values_list("took", flat=True)
    middle = [ordered[(n - 1) // 2], ordered[n // 2]]  # one row each, picked by the database
    return round(sum(d.total_seconds() for d in middle) / 2 / 86400, 1), n


def _proficiency_change(program, period_end):
    # Assessments are dated by day: those before the end day are inside the period.
    latest_rank = Subquery(
        Assessment.objects.filter(
            enrolment=OuterRef("enrolment"),
            competency=OuterRef("competency"),
            kind__in=[Assessment.Kind.BASELINE, Assessment.Kind.CHECKPOINT],
            assessed_on__lt=period_end,
        )
        .order_by("-assessed_on", "-id")
        .values("assessed_level__rank")[:1]
    )
    rows = (
        Assessment.objects.filter(
            enrolment__program=program, kind=Assessment.Kind.BASELINE, assessed_on__lt=period_end
        )
        .annotate(latest=latest_rank)
        .values("competency__code")
        .annotate(
            learners=Count("enrolment", distinct=True),
            baseline=Avg("assessed_level__rank"),
            latest_level=Avg("latest"),
        )
        .order_by("competency__code")
    )
    return {
        row["competency__code"]: {
            "learners": row["learners"],
            "baseline": round(row["baseline"], 2),
            "latest": round(row["latest_level"], 2),
            "change": round(row["latest_level"] - row["baseline"], 2),
        }
        for row in rows
    }


def _metrics(program, end):
    latest = Subquery(
        Measurement.objects.filter(
            metric=OuterRef("pk"), enrolment__isnull=True, measured_at__lt=end
        )
        .order_by("-measured_at", "-id")
        .values("value")[:1]
    )
    result = []
    for metric in (
        OutcomeMetric.objects.filter(program=program).annotate(latest=latest).order_by("name")
    ):
        span = metric.target - metric.baseline
        result.append(
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
    return result


def program_snapshot(*, program: Program, period_start: date, period_end: date) -> dict:
    """The figures a sponsor reads for one program and period (end exclusive).

    Enrolments are counted by their status at the period's end, steps completed and
    competency reached by then; a learner who withdrew or completed after the end still
    counts as they stood at it.
    """
    start, end = period_bounds(period_start, period_end)
    of_program = Enrolment.objects.filter(program=program)
    enrolments = enrolments_at(end, of_program)
    by_status = dict(
        enrolments.values("status_then").annotate(n=Count("id")).values_list("status_then", "n")
    )
    step_counts = progress_at(end, of_program).aggregate(
        total=Count("id"), done=Count("id", filter=Q(completed_then=True))
    )
    windows = FeedbackWindow.objects.filter(
        observation__enrolment__program=program, closes_at__gte=start, closes_at__lt=end
    ).aggregate(
        met=Count("id", filter=Q(status=FeedbackWindow.Status.MET)),
        missed=Count("id", filter=Q(status=FeedbackWindow.Status.MISSED)),
    )
    assignments = Assignment.objects.filter(enrolment__program=program).aggregate(
        completed=Count("id", filter=Q(status__in=Assignment.DONE_STATUSES, submitted_at__lt=end)),
        presented=Count(
            "id", filter=Q(presented_on__gte=period_start, presented_on__lt=period_end)
        ),
    )
    median_days, reached = _median_days_to_competency(enrolments.filter(competent_then=True))
    return {
        "period": {
            "start": period_start.isoformat(),
            "end": period_end.isoformat(),
            "start_utc": start.isoformat(),
            "end_utc": end.isoformat(),
        },
        "enrolments": {status: by_status.get(status, 0) for status in Enrolment.Status.values},
        "pathway_completion": {
            "steps_completed": step_counts["done"],
            "steps_total": step_counts["total"],
            "share": _share(step_counts["done"], step_counts["total"]),
        },
        "median_days_to_competency": median_days,
        "competency_reached": reached,
        "feedback_window_compliance": {
            "met": windows["met"],
            "missed": windows["missed"],
            "share": _share(windows["met"], windows["met"] + windows["missed"]),
        },
        "proficiency_change": _proficiency_change(program, period_end),
        "outcome_metrics": _metrics(program, end),
        "assignments": assignments,
    }


def sponsor_review_rollup(*, program: Program, period_start: date, period_end: date):
    """Create or refresh the program's review for the period; sponsors hear of a new one.

    Re-running a period updates the same review; a review sponsors have already
    reviewed keeps the figures they decided on.
    """
    snapshot = program_snapshot(program=program, period_start=period_start, period_end=period_end)
    with transaction.atomic():
        review, created = SponsorReview.objects.select_for_update().get_or_create(
            program=program,
            period_start=period_start,
            period_end=period_end,
            defaults={"snapshot": snapshot, "generated_at": timezone.now()},
        )
        if not created and review.status != SponsorReview.Status.REVIEWED:
            review.snapshot = snapshot
            review.generated_at = timezone.now()
            review.save(update_fields=["snapshot", "generated_at", "updated_at"])
        for sponsor in program.sponsors.all():
            notify(
                recipient=sponsor,
                kind=Notification.Kind.REVIEW_READY,
                key=f"sponsor-review:{review.pk}:{sponsor.pk}",
                title=_("%(program)s: the review for %(start)s to %(end)s is ready")
                % {"program": program, "start": period_start, "end": review.last_day},
                body=_("The rolled-up results of %(program)s are ready for your review.")
                % {"program": program},
                url=reverse("sponsor:review", args=[review.pk]),
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


def sponsor_reviews_roll_up(*, now: dt.datetime | None = None) -> int:
    """The scheduled rollup: last week's review for every active program, the week counted
    in UTC. Running it again, or on two workers, refreshes the same reviews."""
    start, end = last_full_week(utc_today(now))
    programs = Program.objects.filter(status=Program.Status.ACTIVE)
    for program in programs:
        sponsor_review_rollup(program=program, period_start=start, period_end=end)
    return programs.count()
