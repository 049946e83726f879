"""Celery's signals, turned into job records for the project's own tasks.

The receivers run in the process that runs the task (a worker's child, or the caller when
a task is applied eagerly), except for a hard time limit: the worker's main process kills
the child and reports the failure itself.
"""

import time
from collections import deque

from celery.exceptions import TimeLimitExceeded
from celery.signals import task_failure, task_postrun, task_prerun, task_retry, task_success
from celery.utils.nodenames import gethostname
from django.db import close_old_connections, connection

from .models import is_project_task
from .services import job_failed, job_retrying, job_started, job_succeeded

# When each run began, by task id, on a clock that wall-clock changes cannot move. Kept per
# process: the process that starts a run is the one that finishes it.
_started: dict[str, float] = {}

# Celery reports a run killed at its hard time limit twice (the timeout, then the pool's
# failure), both in the worker's main process: the ids last seen, to count it once.
_killed: deque[str] = deque(maxlen=100)


def _elapsed(task_id) -> float | None:
    began = _started.pop(task_id, None)
    return None if began is None else time.monotonic() - began


def _on_prerun(sender=None, task_id=None, task=None, **kwargs):
    if not is_project_task(getattr(task, "name", None)):
        return
    _started[task_id] = time.monotonic()
    job_started(task=task.name, worker=task.request.hostname or gethostname())


def _on_success(sender=None, **kwargs):
    if not is_project_task(sender.name):
        return
    job_succeeded(task=sender.name, duration=_elapsed(sender.request.id))


def _on_failure(sender=None, task_id=None, exception=None, **kwargs):
    if not is_project_task(sender.name):
        return
    duration = _elapsed(task_id)
    if isinstance(exception, TimeLimitExceeded):
        if task_id in _killed:
            return
        _killed.append(task_id)
        if duration is None and exception.args:
            # Killed by a process that never saw it start: it ran to its limit.
            duration = float(exception.args[0])
        if not connection.in_atomic_block:
            # No task runs in the main process to renew its connection, which may have
            # gone stale since the last kill.
            close_old_connections()
    job_failed(task=sender.name, error=exception, duration=duration)


def _on_retry(sender=None, request=None, reason=None, **kwargs):
    if not is_project_task(sender.name):
        return
    # `reason` is Celery's Retry; the error that caused it is what the page should show.
    error = getattr(reason, "exc", None) or reason
    job_retrying(task=sender.name, error=error, duration=_elapsed(request.id))


def _on_postrun(sender=None, task_id=None, **kwargs):
    # Whatever ended the run, its clock goes: a long-lived worker keeps no stale entries.
    _started.pop(task_id, None)


def connect() -> None:
    """Record every run of the project's tasks from now on, in this process."""
    task_prerun.connect(_on_prerun, dispatch_uid="jobs.started")
    task_success.connect(_on_success, dispatch_uid="jobs.succeeded")
    task_failure.connect(_on_failure, dispatch_uid="jobs.failed")
    task_retry.connect(_on_retry, dispatch_uid="jobs.retrying")
    task_postrun.connect(_on_postrun, dispatch_uid="jobs.finished")
