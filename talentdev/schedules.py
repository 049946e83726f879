"""Default periodic schedules, stored in the database (django-celery-beat) so admins edit them.

Created on migrate when missing; an admin's change to an existing one is kept.
"""

DEFAULT_SCHEDULES = [
    # (name, task, every minutes)
    ("Reminders and missed feedback windows", "coaching.tasks.scan_reminders", 5),
    ("Deliver notification emails", "people.tasks.deliver_notification_emails", 1),
    ("Progress of learners, from their evidence", "programs.tasks.sweep_progress", 15),
]


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
    for name, task, minutes in DEFAULT_SCHEDULES:
        if PeriodicTask.objects.using(using).filter(name=name).exists():
            continue
        every, _ = IntervalSchedule.objects.using(using).get_or_create(
            every=minutes, period=IntervalSchedule.MINUTES
        )
        PeriodicTask.objects.using(using).create(name=name, task=task, interval=every)
