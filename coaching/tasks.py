"""Thin Celery tasks around the reminder scan."""

from celery import shared_task

from people.tasks import RETRY

from .reminders import reminders_scan


# Runs every 5 minutes: stopped before the next run is due.
@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, **RETRY)
def scan_reminders():
    """Mark missed feedback windows and create the reminders that are due (idempotent)."""
    return len(reminders_scan())
