"""Thin Celery tasks around progression."""

from celery import shared_task

from people.tasks import RETRY

from .progression import progress_sweep


@shared_task(acks_late=True, **RETRY)
def sweep_progress():
    """Evaluate every enrolment still moving, so a missed trigger heals (idempotent)."""
    return progress_sweep()


@shared_task(acks_late=True, **RETRY)
def evaluate_program(program_id):
    """Evaluate one program's learners after its competency rule changed (idempotent)."""
    return progress_sweep(program_id=program_id)
