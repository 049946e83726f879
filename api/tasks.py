"""Thin Celery tasks of the API."""

from celery import shared_task

from people.tasks import RETRY

from .housekeeping import api_records_forget


@shared_task(name="api.tasks.forget_expired_api_records", acks_late=True, **RETRY)
def forget_expired_api_records():
    """Expired tokens and old Idempotency-Keys go (see api.housekeeping)."""
    return api_records_forget()
