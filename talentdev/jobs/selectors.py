"""The background jobs as an HR admin reads them: each schedule beside how its task fared."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from celery.schedules import crontab
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import ngettext
from django_celery_beat.models import PeriodicTask

from .models import JobStatus, is_project_task

# A job is overdue when it has not succeeded for this many of its periods (two runs missed
# in a row), and never later than a day after a run it missed: a weekly job within 8 days.
PERIODS_ALLOWED = 3
LATEST_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class Job:
    """One schedule, or a task run on demand, with how its task has fared."""

    name: str
    task: str
    schedule: str  # in words; empty for a task run on demand
    once_at: datetime | None  # a schedule that runs once, at this moment
    enabled: bool
    sent_at: datetime | None  # when the scheduler last sent it to the workers
    status: JobStatus | None  # None: no run recorded yet
    allowance: timedelta | None  # how long it may go without a success
    overdue: bool

    @property
    def scheduled(self) -> bool:
        return bool(self.schedule or self.once_at)

    @property
    def recorded(self) -> bool:
        """Only the project's own tasks are recorded, not Celery's housekeeping."""
        return is_project_task(self.task)

    @property
    def allowance_in_words(self) -> str:
        if self.allowance is None:
            return ""
        seconds = int(self.allowance.total_seconds())
        if seconds < 120:
            # timesince counts whole minutes: 90 seconds would read "1 minute".
            return ngettext("%d second", "%d seconds", seconds) % seconds
        now = timezone.now()
        return timesince(now - self.allowance, now)


def jobs_overview(*, now=None) -> list[Job]:
    """Every schedule with its task's record, then the tasks run on demand that have run.

    Two queries, whatever the number of schedules and tasks.
    """
    now = now or timezone.now()
    statuses = {status.task: status for status in JobStatus.objects.all()}
    schedules = PeriodicTask.objects.select_related(
        "interval", "crontab", "solar", "clocked"
    ).order_by("name")
    jobs = [_scheduled_job(schedule, statuses.get(schedule.task), now) for schedule in schedules]
    scheduled_tasks = {job.task for job in jobs}
    jobs += [
        _on_demand_job(status)
        for task, status in sorted(statuses.items())
        if task not in scheduled_tasks
    ]
    return jobs


def _scheduled_job(schedule: PeriodicTask, status: JobStatus | None, now) -> Job:
    allowance = allowance_of(schedule, now)
    since = status and (status.last_succeeded_at or status.created_at)
    return Job(
        name=schedule.name,
        task=schedule.task,
        schedule=schedule_in_words(schedule),
        once_at=schedule.clocked.clocked_time if schedule.clocked else None,
        enabled=schedule.enabled,
        sent_at=schedule.last_run_at,
        status=status,
        allowance=allowance,
        # A job never started is shown as never run: nothing says when it was first due.
        overdue=bool(schedule.enabled and allowance and since and since < now - allowance),
    )


def _on_demand_job(status: JobStatus) -> Job:
    return Job(
        name=status.task,
        task=status.task,
        schedule="",
        once_at=None,
        enabled=True,
        sent_at=None,
        status=status,
        allowance=None,
        overdue=False,
    )


def schedule_in_words(schedule: PeriodicTask) -> str:
    if schedule.interval:
        return str(schedule.interval)  # "every 5 minutes"
    if schedule.crontab:
        return schedule.crontab.human_readable  # "At 06:00 AM, only on Monday UTC"
    if schedule.solar:
        return str(schedule.solar)
    return ""  # a clocked schedule: its moment is shown as a time


def allowance_of(schedule: PeriodicTask, now) -> timedelta | None:
    """How long a schedule's task may go without succeeding before it is overdue."""
    period = period_of(schedule, now)
    if not period:
        return None
    return min(PERIODS_ALLOWED * period, period + LATEST_GRACE)


def period_of(schedule: PeriodicTask, now) -> timedelta | None:
    """The time between two runs: the interval, or a crontab's next two due times apart.
    None for a schedule that has no regular period (solar, once)."""
    if schedule.interval:
        return timedelta(**{schedule.interval.period: schedule.interval.every})
    if schedule.crontab:
        spec = schedule.crontab
        # On the crontab's own wall clock, written as UTC so that a clock change in its zone
        # does not trip the estimates: the allowance is the same a week with or without it.
        local_now = now.astimezone(spec.timezone).replace(tzinfo=UTC)
        try:
            cron = crontab(
                minute=spec.minute,
                hour=spec.hour,
                day_of_week=spec.day_of_week,
                day_of_month=spec.day_of_month,
                month_of_year=spec.month_of_year,
                nowfun=lambda: local_now,
            )
            # Each estimate is the time from now to the next due time after the one given.
            first = cron.remaining_estimate(local_now)
            return cron.remaining_estimate(local_now + first) - first
        except ValueError:
            return None  # a crontab the scheduler cannot read either
    return None
