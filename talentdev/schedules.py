"""Default periodic schedules, stored in the database (django-celery-beat) so admins edit them.

Created on migrate when missing; an admin's change to an existing one is kept.
"""

DEFAULT_SCHEDULES = [
    # (name, task, every, period)
    ("Reminders and missed feedback windows", "coaching.tasks.scan_reminders", 5, "minutes"),
    # With a 20-second claim, an email whose sending was interrupted goes within a minute.
    ("Deliver notification emails", "people.tasks.deliver_notification_emails", 30, "seconds"),
    ("Progress of learners, from their evidence", "programs.tasks.sweep_progress", 15, "minutes"),
    # The sponsor pages' learner figures, counted at the sweep's pace (measurement.figures),
    # and the designers' observer calibration (coaching.kept_calibration).
    ("Sponsor figures", "measurement.tasks.refresh_program_figures", 15, "minutes"),
    # Expired API tokens and Idempotency-Keys past their day (api.housekeeping).
    ("API housekeeping", "api.tasks.forget_expired_api_records", 1, "hours"),
]

# Earlier defaults, moved to today's on migrate when an admin has left them as they were.
FORMER_DEFAULTS = {"Deliver notification emails": (1, "minutes")}


# Weekly sponsor reviews: Mondays at 06:00 in the site's time zone.
WEEKLY_ROLLUP = ("Weekly sponsor reviews", "measurement.tasks.roll_up_sponsor_reviews")


def install_default_schedules(sender=None, using="default", **kwargs):
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    name, task = WEEKLY_ROLLUP
    if not PeriodicTask.objects.using(using).filter(name=name).exists():
        monday, _ = CrontabSchedule.objects.using(using).get_or_create(
            minute="0", hour="6", day_of_week="1", day_of_month="*", month_of_year="*"
        )
        PeriodicTask.objects.using(using).create(name=name, task=task, crontab=monday)
    for name, task, every, period in DEFAULT_SCHEDULES:
        interval, _ = IntervalSchedule.objects.using(using).get_or_create(
            every=every, period=period
        )
        existing = PeriodicTask.objects.using(using).filter(name=name).first()
        if existing is None:
            PeriodicTask.objects.using(using).create(name=name, task=task, interval=interval)
        elif name in FORMER_DEFAULTS and existing.interval_id:
            former_every, former_period = FORMER_DEFAULTS[name]
            current = existing.interval
            if (current.every, current.period) == (former_every, former_period):
                existing.interval = interval
                existing.save(update_fields=["interval"])
