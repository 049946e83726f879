"""Real Celery workers on Redis and PostgreSQL: thousands of due windows, two workers at once,
exactly one reminder and one email per window and lead time."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from coaching.models import FeedbackWindow, Observation
from coaching.tasks import scan_reminders
from people.models import Notification
from people.tasks import deliver_notification_emails
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = 2000


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _due_windows(settings):
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=4), timedelta(hours=1)]
    observer = f.UserFactory(email="observer@example.com", manager=None)
    enrolment = f.EnrolmentFactory(supervisor=observer)
    po = f.PerformanceObjectiveFactory(program=enrolment.program)
    observed = timezone.now() - timedelta(hours=22)  # closes in 2 h: the 4 h lead is due
    observations = Observation.objects.bulk_create(
        Observation(
            enrolment=enrolment,
            learner=enrolment.learner,
            observer=observer,
            performance_objective=po,
            observed_at=observed,
            rating=3,
            behaviour=f"Moment {i}",
        )
        for i in range(WINDOWS)
    )
    FeedbackWindow.objects.bulk_create(
        FeedbackWindow(observation=o, opens_at=observed, closes_at=observed + timedelta(hours=24))
        for o in observations
    )


@pytest.fixture
def workers(tmp_path):
    """Two worker processes on a queue of their own, sharing the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_QUEUE": queue,
        "EMAIL_URL": f"filemail:///{tmp_path}",  # four slashes: an absolute path
        "FEEDBACK_REMINDER_LEAD_HOURS": "4,1",
    }
    processes = [
        subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
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
                "solo",
                "-n",
                f"{name}-{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for name in ("one", "two")
    ]
    yield queue, tmp_path
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def _wait_for(condition, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_two_workers_send_exactly_one_reminder_and_email_per_window(settings, workers):
    queue, mail_dir = workers
    _due_windows(settings)
    # The same scan twice at once, then delivery twice at once: the workers race.
    for task in (
        scan_reminders,
        scan_reminders,
        deliver_notification_emails,
        deliver_notification_emails,
    ):
        task.apply_async(queue=queue)

    reminders = Notification.objects.filter(kind="feedback_due")
    assert _wait_for(lambda: reminders.filter(emailed_at__isnull=False).count() == WINDOWS)
    time.sleep(3)  # let any duplicate that was going to happen, happen
    assert reminders.count() == WINDOWS
    assert set(reminders.values_list("key", flat=True)) == {
        f"feedback-window:{pk}:14400" for pk in FeedbackWindow.objects.values_list("pk", flat=True)
    }
    emails = sum(
        path.read_text().count("\nSubject: ") + path.read_text().startswith("Subject: ")
        for path in mail_dir.iterdir()
    )
    assert emails == WINDOWS
