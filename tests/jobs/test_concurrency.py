"""Two workers recording the same task at once, on PostgreSQL: both runs count, in one row."""

import threading
import time

import pytest
from django.db import connection, transaction

from talentdev.jobs.models import JobStatus
from talentdev.jobs.services import job_started, job_succeeded

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TASK = "programs.tasks.sweep_progress"


def _in_thread(work):
    """Run `work` on a thread of its own, with its own database connection."""
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_two_first_runs_recorded_at_once_make_one_row_that_counts_both(caplog):
    inserted = threading.Event()

    def first_worker():
        # Its row is inserted but not committed while the second worker records: the second
        # one's insert waits on the unique index, then finds the row taken.
        with transaction.atomic():
            job_started(task=TASK, worker="one@host")
            inserted.set()
            time.sleep(0.5)

    def second_worker():
        inserted.wait(timeout=10)
        job_started(task=TASK, worker="two@host")

    first, first_errors = _in_thread(first_worker)
    second, second_errors = _in_thread(second_worker)
    first.join(timeout=30)
    second.join(timeout=30)

    assert first_errors == second_errors == []
    assert "could not record" not in caplog.text
    status = JobStatus.objects.get()
    assert status.runs == 2
    assert status.last_worker == "two@host"


def test_many_workers_recording_at_once_lose_no_run():
    barrier = threading.Barrier(8)

    def worker(n):
        def work():
            barrier.wait(timeout=10)
            for _ in range(10):
                job_started(task=TASK, worker=f"w{n}@host")
                job_succeeded(task=TASK, duration=0.1)

        return work

    threads = [_in_thread(worker(n)) for n in range(8)]
    for thread, _ in threads:
        thread.join(timeout=60)

    assert [errors for _, errors in threads] == [[]] * 8
    status = JobStatus.objects.get()
    assert (status.runs, status.failures, status.last_outcome) == (80, 0, "succeeded")
