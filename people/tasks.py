"""Thin Celery tasks around notification delivery."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from .notifications import DELIVER_TASK, notification_emails_deliver

# Transient failures (a dropped database connection, a mail server that hung up) retry.
RETRY = {
    "autoretry_for": (OperationalError, SMTPException, ConnectionError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name=DELIVER_TASK, acks_late=True, **RETRY)
def deliver_notification_emails():
    """Email notifications not yet sent (each claimed once, so two workers never both send)."""
    return notification_emails_deliver()
