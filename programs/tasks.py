"""Thin Celery tasks around progression."""

from celery import shared_task

from people.tasks import RETRY

from .progression import progress_sweep


@shared_task(acks_late=True, **RETRY)
def sweep_progress():
    """Evaluate every enrolment still moving, so a missed trigger heals (idempotent)."""
    return progress_sweep()
