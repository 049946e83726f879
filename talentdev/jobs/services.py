"""Writing down how a job run went.

Each write is one UPDATE with F() increments, so workers recording the same task at once
add up rather than overwrite each other; a task's first record inserts its row, and a worker
that loses that race updates the row the winner made. Recording never breaks the job: a
database error is logged and the job goes on. Nothing here is typed by a person, so there is
no full_clean(): the values come from Celery, and the F() update is what keeps them right.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import JobStatus

logger = logging.getLogger(__name__)

# Enough to tell one error from another; a traceback belongs in the worker's log.
ERROR_LENGTH = 1000

Outcome = JobStatus.Outcome


def describe_error(error: BaseException) -> str:
    """An exception as its type and message, cut to a length a page can show."""
    name, message = type(error).__name__, str(error)
    if message.startswith(f"{name}("):
        # Celery's errors print as their repr, "TimeLimitExceeded(360,)": keep what is inside.
        message = ", ".join(str(arg) for arg in error.args)
    text = f"{name}: {message}" if message else name
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"


def is_timeout(error: BaseException) -> bool:
    """A run stopped by its soft or hard time limit timed out rather than failed."""
    return isinstance(error, SoftTimeLimitExceeded | TimeLimitExceeded)


def job_started(*, task: str, worker: str, at=None) -> None:
    at = at or timezone.now()
    _record(
        task,
        at,
        runs=F("runs") + 1,
        last_started_at=at,
        last_outcome=Outcome.RUNNING,
        last_worker=worker[:255],
    )


def job_succeeded(*, task: str, duration: float | None, at=None) -> None:
    at = at or timezone.now()
    _record(
        task,
        at,
        last_finished_at=at,
        last_duration=duration,
        last_outcome=Outcome.SUCCEEDED,
        last_succeeded_at=at,
    )


def job_failed(*, task: str, error: BaseException, duration: float | None, at=None) -> None:
    at = at or timezone.now()
    _record(
        task,
        at,
        failures=F("failures") + 1,
        last_finished_at=at,
        last_duration=duration,
        last_outcome=Outcome.TIMED_OUT if is_timeout(error) else Outcome.FAILED,
        last_error=describe_error(error),
        last_error_at=at,
    )


def job_retrying(*, task: str, error: BaseException, duration: float | None, at=None) -> None:
    """A run that failed for a reason that may pass and will run again: not yet a failure."""
    at = at or timezone.now()
    _record(
        task,
        at,
        last_finished_at=at,
        last_duration=duration,
        last_outcome=Outcome.RETRYING,
        last_error=describe_error(error),
        last_error_at=at,
    )


def _record(task: str, at, **changes) -> None:
    # update() skips auto_now, so updated_at is set here.
    changes["updated_at"] = at
    rows = JobStatus.objects.filter(task=task)
    try:
        # A savepoint when the caller is inside a transaction (a task applied in a test, or
        # eagerly): a failed write rolls back only itself.
        with transaction.atomic():
            if rows.update(**changes):
                return
            try:
                with transaction.atomic():
                    JobStatus.objects.create(task=task)
            except IntegrityError:
                pass  # another worker recorded this task's first run at the same moment
            rows.update(**changes)
    except DatabaseError:
        logger.exception("could not record how job %s went; the job itself carries on", task)
