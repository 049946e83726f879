"""Thin Celery tasks around progression."""

from celery import shared_task

from people.tasks import RETRY

from .progression import progress_sweep

# Every learner still moving, in batches: minutes at the size of a large company.
LIMITS = {"soft_time_limit": 600, "time_limit": 660}


@shared_task(acks_late=True, **LIMITS, **RETRY)
def sweep_progress():
    """Evaluate every enrolment still moving, so a missed trigger heals (idempotent)."""
    return progress_sweep()


@shared_task(acks_late=True, **LIMITS, **RETRY)
def evaluate_program(program_id):
    """Evaluate one program's learners after its competency rule changed (idempotent)."""
    return progress_sweep(program_id=program_id)
