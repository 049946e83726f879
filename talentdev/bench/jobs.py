"""The scheduled jobs the benchmark times in this process: the reminder scan (a dry run),
the count of every program's sponsor figures (rolled back) and the weekly sponsor rollup of
every program (rolled back), beside plain SQL GROUP BYs that compute the same figures over
the same rows: the headline figures and the median days to competency in one statement,
the proficiency change in another, each metric's latest value in a third."""

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from coaching.models import FeedbackWindow, Observation
from coaching.reminders import reminders_scan
from measurement.models import Assessment, Measurement, OutcomeMetric, SponsorReview
from measurement.refresh import refresh_program_figures
from measurement.rollups import last_full_week, period_bounds, sponsor_reviews_roll_up, utc_today
from objectives.models import Competency, ProficiencyLevel
from programs.models import Assignment, Enrolment, Program, ProgressEvent, StepProgress
from talentdev.middleware import QueryCounter

E = ProgressEvent.Type


@dataclass(frozen=True)
class JobFigures:
    milliseconds: float
    queries: int
    note: str = ""


def _timed(work):
    counter = QueryCounter()
    began = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = work()
    return result, (time.perf_counter() - began) * 1000, counter.count


def time_program_figures() -> JobFigures:
    """The sponsor figures of every program counted as their job does, rolled back."""
    with transaction.atomic():
        programs, ms, queries = _timed(refresh_program_figures)
        transaction.set_rollback(True)
    return JobFigures(ms, queries, f"{programs} programs")


def time_reminder_scan() -> JobFigures:
    """The reminder scan as the schedule runs it, but creating nothing (dry run)."""
    reminders, ms, queries = _timed(lambda: reminders_scan(dry_run=True))
    return JobFigures(ms, queries, f"{len(reminders):,} reminders due (dry run)")


# The headline figures of program_snapshot() for every active program, in one statement:
# enrolments by their status at the period's end, steps completed of the steps of those
# still on the program, competency reached and the median days it took, feedback windows
# met and missed in the period, assignments completed by its end and presented in it. Each
# enrolment's history is read once with window functions and GROUP BY, rather than a
# correlated subquery per row. {days} is the days from enrolment to competency.
HEADLINE_SQL = f"""
WITH status_events AS (
    SELECT enrolment_id, to_status,
           ROW_NUMBER() OVER (
               PARTITION BY enrolment_id ORDER BY occurred_at DESC, recorded_at DESC
           ) AS newest
    FROM {ProgressEvent._meta.db_table}
    WHERE type IN (%(status_event)s, %(completed_event)s) AND occurred_at < %(end)s
), reached AS (
    SELECT enrolment_id,
           MAX(CASE WHEN type = %(completed_event)s THEN 1 ELSE 0 END) AS completed,
           MAX(CASE WHEN type = %(competent_event)s THEN 1 ELSE 0 END) AS competent
    FROM {ProgressEvent._meta.db_table}
    WHERE type IN (%(completed_event)s, %(competent_event)s) AND occurred_at < %(end)s
    GROUP BY enrolment_id
), enrolments AS (
    SELECT e.id, e.program_id,
           CASE WHEN r.completed = 1 THEN %(completed)s
                ELSE COALESCE(s.to_status, %(active)s) END AS status_then,
           COALESCE(r.competent, 0) AS competent_then
    FROM {Enrolment._meta.db_table} e
    JOIN {Program._meta.db_table} p ON p.id = e.program_id AND p.status = %(program_active)s
    LEFT JOIN status_events s ON s.enrolment_id = e.id AND s.newest = 1
    LEFT JOIN reached r ON r.enrolment_id = e.id
    WHERE e.enrolled_on < %(end_day)s
), counts AS (
    SELECT program_id,
           SUM(CASE WHEN status_then = %(active)s THEN 1 ELSE 0 END) AS active,
           SUM(CASE WHEN status_then = %(paused)s THEN 1 ELSE 0 END) AS paused,
           SUM(CASE WHEN status_then = %(completed)s THEN 1 ELSE 0 END) AS completed,
           SUM(CASE WHEN status_then = %(withdrawn)s THEN 1 ELSE 0 END) AS withdrawn,
           SUM(competent_then) AS competent
    FROM enrolments GROUP BY program_id
), competent AS (
    SELECT e.program_id, {{days}} AS took,
           ROW_NUMBER() OVER (PARTITION BY e.program_id ORDER BY {{days}}) AS place,
           COUNT(*) OVER (PARTITION BY e.program_id) AS reached
    FROM {Enrolment._meta.db_table} e
    JOIN enrolments en ON en.id = e.id AND en.competent_then = 1
), median AS (
    -- the middle one or two of each program's learners by the days it took
    SELECT program_id, AVG(took) AS days FROM competent
    WHERE place * 2 >= reached AND place * 2 <= reached + 2
    GROUP BY program_id
), steps_done AS (
    SELECT DISTINCT enrolment_id, step_id FROM {ProgressEvent._meta.db_table}
    WHERE type = %(step_event)s AND occurred_at < %(end)s
), steps AS (
    SELECT en.program_id, COUNT(*) AS total, COUNT(d.step_id) AS done
    FROM enrolments en
    JOIN {StepProgress._meta.db_table} sp ON sp.enrolment_id = en.id
    LEFT JOIN steps_done d ON d.enrolment_id = sp.enrolment_id AND d.step_id = sp.step_id
    WHERE en.status_then <> %(withdrawn)s
    GROUP BY en.program_id
), windows AS (
    SELECT en.program_id,
           SUM(CASE WHEN w.status = %(met)s THEN 1 ELSE 0 END) AS met,
           SUM(CASE WHEN w.status = %(missed)s THEN 1 ELSE 0 END) AS missed
    FROM {FeedbackWindow._meta.db_table} w
    JOIN {Observation._meta.db_table} o ON o.id = w.observation_id
    JOIN {Enrolment._meta.db_table} en ON en.id = o.enrolment_id
    WHERE w.closes_at >= %(start)s AND w.closes_at < %(end)s
    GROUP BY en.program_id
), assignments AS (
    SELECT en.program_id,
           SUM(CASE WHEN a.status IN (%(submitted)s, %(done)s) AND a.submitted_at < %(end)s
               THEN 1 ELSE 0 END) AS completed,
           SUM(CASE WHEN a.presented_on >= %(start_day)s AND a.presented_on < %(end_day)s
               THEN 1 ELSE 0 END) AS presented
    FROM {Assignment._meta.db_table} a JOIN {Enrolment._meta.db_table} en ON en.id = a.enrolment_id
    GROUP BY en.program_id
)
SELECT p.id,
       COALESCE(c.active, 0), COALESCE(c.paused, 0), COALESCE(c.completed, 0),
       COALESCE(c.withdrawn, 0), COALESCE(c.competent, 0),
       COALESCE(s.done, 0), COALESCE(s.total, 0),
       COALESCE(w.met, 0), COALESCE(w.missed, 0),
       COALESCE(a.completed, 0), COALESCE(a.presented, 0), m.days
FROM {Program._meta.db_table} p
LEFT JOIN counts c ON c.program_id = p.id
LEFT JOIN steps s ON s.program_id = p.id
LEFT JOIN windows w ON w.program_id = p.id
LEFT JOIN assignments a ON a.program_id = p.id
LEFT JOIN median m ON m.program_id = p.id
WHERE p.status = %(program_active)s
ORDER BY p.id
"""  # noqa: S608, UP032 - table names from the models; every value is a parameter


# Each learner's baseline of a competency beside their latest level of it (baseline or
# checkpoint) before the end day, averaged by program and competency code as ranks, with
# the learners who have a baseline counted once per code.
PROFICIENCY_SQL = f"""
WITH on_program AS (
    SELECT e.id, e.program_id FROM {Enrolment._meta.db_table} e
    JOIN {Program._meta.db_table} p ON p.id = e.program_id AND p.status = %(program_active)s
), ranked AS (
    SELECT a.enrolment_id, a.competency_id, a.assessed_level_id,
           ROW_NUMBER() OVER (
               PARTITION BY a.enrolment_id, a.competency_id ORDER BY a.assessed_on DESC, a.id DESC
           ) AS newest
    FROM {Assessment._meta.db_table} a JOIN on_program o ON o.id = a.enrolment_id
    WHERE a.kind IN (%(baseline)s, %(checkpoint)s) AND a.assessed_on < %(end_day)s
)
SELECT o.program_id, c.code, COUNT(DISTINCT a.enrolment_id), AVG(baseline.rank * 1.0),
       AVG(latest.rank * 1.0)
FROM {Assessment._meta.db_table} a
JOIN on_program o ON o.id = a.enrolment_id
JOIN {Competency._meta.db_table} c ON c.id = a.competency_id
JOIN {ProficiencyLevel._meta.db_table} baseline ON baseline.id = a.assessed_level_id
JOIN ranked r ON r.enrolment_id = a.enrolment_id AND r.competency_id = a.competency_id
    AND r.newest = 1
JOIN {ProficiencyLevel._meta.db_table} latest ON latest.id = r.assessed_level_id
WHERE a.kind = %(baseline)s AND a.assessed_on < %(end_day)s
GROUP BY o.program_id, c.code
"""  # noqa: S608 - table names from the models; every value is a parameter

# Each metric of an active program with its latest program-wide value before the end.
METRICS_SQL = f"""
SELECT m.program_id, m.name, (
    SELECT v.value FROM {Measurement._meta.db_table} v
    WHERE v.metric_id = m.id AND v.enrolment_id IS NULL AND v.measured_at < %(end)s
    ORDER BY v.measured_at DESC, v.id DESC LIMIT 1
)
FROM {OutcomeMetric._meta.db_table} m
JOIN {Program._meta.db_table} p ON p.id = m.program_id AND p.status = %(program_active)s
ORDER BY m.program_id, m.name
"""  # noqa: S608 - table names from the models; every value is a parameter


def _days_to_competency() -> str:
    # Days between two dates: a number in PostgreSQL, Julian days in SQLite.
    if connection.vendor == "sqlite":
        return "(julianday(e.competent_on) - julianday(e.enrolled_on))"
    return "(e.competent_on - e.enrolled_on)"


def _params(period_start, period_end) -> dict:
    start, end = period_bounds(period_start, period_end)
    S = Enrolment.Status
    return {
        "start": start,
        "end": end,
        "start_day": period_start,
        # The period ends at 00:00 UTC, so an enrolment has begun if it began the day before.
        "end_day": period_end,
        "status_event": E.ENROLMENT_STATUS,
        "completed_event": E.ENROLMENT_COMPLETED,
        "competent_event": E.COMPETENCY_REACHED,
        "step_event": E.STEP_COMPLETED,
        "active": S.ACTIVE,
        "paused": S.PAUSED,
        "completed": S.COMPLETED,
        "withdrawn": S.WITHDRAWN,
        "program_active": Program.Status.ACTIVE,
        "met": FeedbackWindow.Status.MET,
        "missed": FeedbackWindow.Status.MISSED,
        "submitted": Assignment.Status.SUBMITTED,
        "done": Assignment.Status.COMPLETED,
        "baseline": Assessment.Kind.BASELINE,
        "checkpoint": Assessment.Kind.CHECKPOINT,
    }


def sql_figures(period_start, period_end) -> dict[int, tuple]:
    """By program id, every figure of its review as _figures_of() lists them, in three
    queries: (active, paused, completed, withdrawn, competent, steps done, steps, windows
    met, missed, assignments completed, presented), the median days to competency, the
    proficiency change by competency code, and each metric's latest value by name."""
    params = _params(period_start, period_end)
    figures = {}
    with connection.cursor() as cursor:
        cursor.execute(HEADLINE_SQL.replace("{days}", _days_to_competency()), params)
        for program_id, *counts, days in cursor.fetchall():
            median = None if days is None else round(float(days), 1)
            figures[program_id] = [tuple(int(n) for n in counts), median, {}, []]
        cursor.execute(PROFICIENCY_SQL, params)
        for program_id, code, learners, baseline, latest in cursor.fetchall():
            baseline, latest = float(baseline), float(latest)
            figures[program_id][2][code] = (
                int(learners),
                round(baseline, 2),
                round(latest, 2),
                round(latest - baseline, 2),
            )
        cursor.execute(METRICS_SQL, params)
        for program_id, name, value in cursor.fetchall():
            figures[program_id][3].append((name, None if value is None else float(value)))
    return {pk: tuple(found) for pk, found in figures.items()}


def _figures_of(snapshot: dict) -> tuple:
    enrolments = snapshot["enrolments"]
    steps = snapshot["pathway_completion"]
    windows = snapshot["feedback_window_compliance"]
    headline = (
        *(enrolments[status] for status in Enrolment.Status.values),
        snapshot["competency_reached"],
        steps["steps_completed"],
        steps["steps_total"],
        windows["met"],
        windows["missed"],
        snapshot["assignments"]["completed"],
        snapshot["assignments"]["presented"],
    )
    proficiency = {
        code: (change["learners"], change["baseline"], change["latest"], change["change"])
        for code, change in snapshot["proficiency_change"].items()
    }
    metrics = [(metric["name"], metric["latest"]) for metric in snapshot["outcome_metrics"]]
    return (headline, snapshot["median_days_to_competency"], proficiency, metrics)


def time_rollup_and_sql() -> tuple[JobFigures, JobFigures]:
    """The weekly rollup of every active program, inside a transaction rolled back so the
    database stays as it was; then the same week's figures in plain SQL, checked against the
    reviews the rollup wrote."""
    now = timezone.now()
    period_start, period_end = last_full_week(utc_today(now))
    with transaction.atomic():
        programs, rollup_ms, rollup_queries = _timed(lambda: sponsor_reviews_roll_up(now=now))
        reviews = {
            review.program_id: _figures_of(review.snapshot)
            for review in SponsorReview.objects.filter(
                period_start=period_start, period_end=period_end, generated_at__gte=now
            )
        }
        transaction.set_rollback(True)
    figures, sql_ms, sql_queries = _timed(lambda: sql_figures(period_start, period_end))
    differing = [pk for pk, found in reviews.items() if figures.get(pk) != found]
    agreement = (
        f"differs for program {', '.join(map(str, differing))}"
        if differing
        else f"same figures for {len(reviews)} reviews"
    )
    return (
        JobFigures(rollup_ms, rollup_queries, f"{programs} programs, week of {period_start}"),
        JobFigures(sql_ms, sql_queries, agreement),
    )
