"""A real worker on Redis and PostgreSQL records its runs: success, and both time limits."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.db import connection

from people.tasks import deliver_notification_emails
from talentdev.jobs.models import JobStatus

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SLEEP = "talentdev.testing.sleep"


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    """A prefork worker (time limits need one) on a queue of its own, on the test database."""
    queue = f"test-jobs-{uuid.uuid4().hex[:8]}"
    node = f"jobs-{queue}"
    process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "talentdev",
            "worker",
            "-Q",
            queue,
            "-P",
            "prefork",
            "-c",
            "1",
            "-n",
            f"{node}@%h",
            "-I",
            "tests.jobs.tasks",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield queue, f"{node}@{socket.gethostname()}"
    process.terminate()
    process.wait(timeout=30)


def _finished(task, runs=1, seconds=60):
    """The task's record once `runs` runs of it have finished, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = JobStatus.objects.filter(task=task, runs=runs).first()
        if status and status.last_outcome != JobStatus.Outcome.RUNNING:
            return status
        time.sleep(0.25)
    return None


def test_a_worker_records_a_run_with_its_own_name(worker):
    queue, node = worker
    deliver_notification_emails.apply_async(queue=queue)

    status = _finished("people.tasks.deliver_notification_emails")
    assert status is not None
    assert status.last_outcome == JobStatus.Outcome.SUCCEEDED
    assert status.last_worker == node
    assert 0 < status.last_duration < 5
    assert (status.runs, status.failures) == (1, 0)


def test_a_run_stopped_by_its_soft_time_limit_is_recorded_as_timed_out(worker):
    queue, node = worker
    current_app.send_task(SLEEP, args=[10], queue=queue, soft_time_limit=1, time_limit=30)

    status = _finished(SLEEP)
    assert status is not None
    assert status.last_outcome == JobStatus.Outcome.TIMED_OUT
    assert status.last_error == "SoftTimeLimitExceeded"
    assert 1 <= status.last_duration < 3
    assert (status.runs, status.failures, status.last_worker) == (1, 1, node)


def test_a_run_killed_at_its_hard_time_limit_is_recorded_as_timed_out(worker):
    queue, _ = worker
    current_app.send_task(
        SLEEP,
        args=[10],
        kwargs={"past_soft_limit": True},
        queue=queue,
        soft_time_limit=1,
        time_limit=2,
    )

    # The worker's main process reports it, having killed the process that ran it.
    status = _finished(SLEEP)
    assert status is not None
    time.sleep(2)  # Celery reports the kill twice: let the second report land
    status.refresh_from_db()
    assert status.last_outcome == JobStatus.Outcome.TIMED_OUT
    assert status.last_error == "TimeLimitExceeded: 2"
    assert status.last_duration == 2.0
    assert (status.runs, status.failures) == (1, 1)
