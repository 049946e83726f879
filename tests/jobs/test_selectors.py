"""What the jobs page reads: each schedule with its task's record, and which jobs are overdue."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
)

from talentdev.jobs.selectors import Job, allowance_of, jobs_overview
from talentdev.jobs.services import job_failed, job_started, job_succeeded

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
SWEEP = "programs.tasks.sweep_progress"  # every 15 minutes by default
ROLLUP = "measurement.tasks.roll_up_sponsor_reviews"  # Mondays 06:00


def _every(minutes):
    return PeriodicTask(interval=IntervalSchedule(every=minutes, period=IntervalSchedule.MINUTES))


def _cron(**fields):
    spec = {"minute": "0", "hour": "6", "day_of_week": "*", "day_of_month": "*"}
    return PeriodicTask(crontab=CrontabSchedule(**{**spec, **fields}, month_of_year="*"))


@pytest.mark.parametrize(("minutes", "allowed"), [(1, 3), (5, 15), (15, 45), (60 * 24, 60 * 48)])
def test_an_interval_job_may_miss_two_runs_and_a_long_one_a_day_at_most(minutes, allowed):
    assert allowance_of(_every(minutes), NOW) == timedelta(minutes=allowed)


def test_an_allowance_reads_in_seconds_under_two_minutes_and_in_larger_units_above():
    def in_words(seconds):
        job = Job(
            name="Job",
            task=SWEEP,
            schedule="every 30 seconds",
            once_at=None,
            enabled=True,
            sent_at=None,
            status=None,
            allowance=timedelta(seconds=seconds),
            overdue=False,
        )
        return job.allowance_in_words

    assert {s: in_words(s) for s in (90, 119, 120, 45 * 60, 8 * 86400)} == {
        90: "90 seconds",
        119: "119 seconds",
        120: "2\xa0minutes",
        45 * 60: "45\xa0minutes",
        8 * 86400: "1\xa0week, 1\xa0day",
    }


def test_the_weekly_job_is_allowed_eight_days_and_a_daily_one_two_whatever_the_day():
    for days in range(7):
        now = NOW + timedelta(days=days, hours=days)
        assert allowance_of(_cron(day_of_week="1"), now) == timedelta(days=8)
        assert allowance_of(_cron(), now) == timedelta(days=2)
    assert allowance_of(_cron(minute="*/10", hour="*"), NOW) == timedelta(minutes=30)


def test_a_crontab_in_another_zone_keeps_its_allowance_across_a_clock_change():
    monday = _cron(day_of_week="1", timezone=ZoneInfo("Europe/Paris"))
    daily = _cron(timezone=ZoneInfo("Europe/Paris"))
    # Summer time starts in Paris on Sunday 29 March 2026.
    for day in (25, 28, 29, 30):
        now = datetime(2026, 3, day, 5, 30, tzinfo=UTC)
        assert allowance_of(monday, now) == timedelta(days=8)
        assert allowance_of(daily, now) == timedelta(days=2)


def test_a_schedule_without_a_regular_period_has_no_allowance():
    once = PeriodicTask(clocked=ClockedSchedule(clocked_time=NOW), one_off=True)
    assert allowance_of(once, NOW) is None
    assert allowance_of(_cron(hour="99"), NOW) is None  # unreadable, for beat as well


def _job(task):
    (job,) = [job for job in jobs_overview(now=NOW) if job.task == task]
    return job


def test_a_job_is_overdue_once_it_has_not_succeeded_within_its_allowance():
    job_started(task=SWEEP, worker="w", at=NOW - timedelta(minutes=44))
    job_succeeded(task=SWEEP, duration=1.0, at=NOW - timedelta(minutes=44))
    assert not _job(SWEEP).overdue
    job_started(task=SWEEP, worker="w", at=NOW - timedelta(minutes=46))
    job_succeeded(task=SWEEP, duration=1.0, at=NOW - timedelta(minutes=46))
    assert _job(SWEEP).overdue
    assert _job(SWEEP).allowance_in_words == "45\xa0minutes"


def test_failures_since_the_last_success_do_not_make_a_job_on_time():
    job_succeeded(task=ROLLUP, duration=9.0, at=NOW - timedelta(days=9))
    job_failed(task=ROLLUP, error=RuntimeError("boom"), duration=1.0, at=NOW - timedelta(days=2))
    assert _job(ROLLUP).overdue
    job_succeeded(task=ROLLUP, duration=9.0, at=NOW - timedelta(days=7, hours=23))
    assert not _job(ROLLUP).overdue


def test_a_job_that_never_succeeded_is_overdue_an_allowance_after_its_first_run():
    job_failed(task=SWEEP, error=RuntimeError("boom"), duration=1.0, at=NOW)
    first_run = _job(SWEEP).status.created_at
    assert not [job for job in jobs_overview(now=first_run + timedelta(minutes=44)) if job.overdue]
    late = jobs_overview(now=first_run + timedelta(minutes=46))
    assert [job.task for job in late if job.overdue] == [SWEEP]


def test_a_disabled_or_never_run_job_is_not_overdue():
    job_succeeded(task=SWEEP, duration=1.0, at=NOW - timedelta(days=30))
    PeriodicTask.objects.filter(task=SWEEP).update(enabled=False)
    assert not _job(SWEEP).overdue
    assert not _job(ROLLUP).overdue
    assert _job(ROLLUP).status is None


def test_schedules_come_first_by_name_then_tasks_run_on_demand_with_their_records():
    job_succeeded(task="programs.tasks.evaluate_program", duration=1.0, at=NOW)
    PeriodicTask.objects.create(
        name="celery.backend_cleanup",
        task="celery.backend_cleanup",
        crontab=CrontabSchedule.objects.create(minute="0", hour="4"),
    )
    jobs = jobs_overview(now=NOW)
    assert [(job.name, job.schedule, job.recorded) for job in jobs] == [
        ("API housekeeping", "every hour", True),
        ("Deliver notification emails", "every 30 seconds", True),
        ("Progress of learners, from their evidence", "every 15 minutes", True),
        ("Reminders and missed feedback windows", "every 5 minutes", True),
        ("Sponsor figures", "every 15 minutes", True),
        ("Weekly sponsor reviews", "At 06:00 AM, only on Monday UTC", True),
        ("celery.backend_cleanup", "At 04:00 AM UTC", False),
        ("programs.tasks.evaluate_program", "", True),
    ]
    on_demand = jobs[-1]
    assert not on_demand.scheduled
    assert (on_demand.allowance, on_demand.overdue) == (None, False)
    assert on_demand.status.last_outcome == "succeeded"


def test_the_overview_runs_two_queries_whatever_the_number_of_schedules(
    django_assert_num_queries,
):
    every = IntervalSchedule.objects.create(every=7, period=IntervalSchedule.MINUTES)
    for n in range(30):
        PeriodicTask.objects.create(name=f"Extra {n}", task=f"people.tasks.t{n}", interval=every)
        job_succeeded(task=f"people.tasks.t{n}", duration=1.0, at=NOW)
    with django_assert_num_queries(2):
        assert len(jobs_overview(now=NOW)) == 30 + 6  # and the six default schedules
