"""Thin Celery tasks around notification delivery."""

from celery import shared_task
from django.db import OperationalError

from .notifications import DELIVER_TASK, notification_emails_deliver

# Transient failures retry with backoff: a dropped database connection, or a mail server
# that refused, timed out or hung up (smtplib's errors and socket timeouts are OSErrors).
# The longest wait stays well inside the broker's visibility timeout.
RETRY = {
    "autoretry_for": (OperationalError, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


# A batch of 200 takes seconds; a mail server that hangs is cut off by EMAIL_TIMEOUT first.
@shared_task(name=DELIVER_TASK, acks_late=True, soft_time_limit=120, time_limit=150, **RETRY)
def deliver_notification_emails():
    """Email notifications not yet sent (each claimed once, so two workers never both send)."""
    return notification_emails_deliver()
