"""Thin Celery tasks around the notification and reminder services."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from .notifications import notification_emails_deliver
from .reminders import reminders_scan

RETRY = {
    "autoretry_for": (OperationalError, SMTPException, ConnectionError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(acks_late=True, **RETRY)
def scan_reminders():
    """Mark missed feedback windows and create the reminders that are due (idempotent)."""
    return len(reminders_scan())


@shared_task(acks_late=True, **RETRY)
def deliver_notification_emails():
    """Email notifications not yet sent (each claimed once, so two workers never both send)."""
    return notification_emails_deliver()
