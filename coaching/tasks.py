"""Thin Celery tasks around the reminder scan."""

from celery import shared_task

from people.tasks import RETRY

from .reminders import reminders_scan


@shared_task(acks_late=True, **RETRY)
def scan_reminders():
    """Mark missed feedback windows and create the reminders that are due (idempotent)."""
    return len(reminders_scan())
