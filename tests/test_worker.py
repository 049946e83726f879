"""Real Celery workers on Redis and PostgreSQL: thousands of due windows, two workers at once,
exactly one reminder and one email per window and lead time."""

import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import FeedbackWindow, Observation
from coaching.tasks import scan_reminders
from people.models import Notification
from people.tasks import deliver_notification_emails
from tests import factories as f
from tests.services import JOB_QUEUES, Worker, database_url, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WINDOWS = 2000


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
    """Two workers reading every queue of a prefix of their own, sharing the test database."""
    prefix = f"test-{uuid.uuid4().hex[:8]}-"
    env = {
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"filemail:///{tmp_path}",  # four slashes: an absolute path
        "FEEDBACK_REMINDER_LEAD_HOURS": "4,1",
    }
    started = [
        Worker(name, prefix=prefix, queues=[*JOB_QUEUES, "email"], env=env, pool="solo").start()
        for name in ("one", "two")
    ]
    yield prefix, tmp_path
    for worker in started:
        worker.stop()


def test_two_workers_send_exactly_one_reminder_and_email_per_window(settings, workers):
    prefix, mail_dir = workers
    _due_windows(settings)
    # The same scan twice at once, then delivery twice at once: the workers race.
    for task, queue in (
        (scan_reminders, "reminders"),
        (scan_reminders, "reminders"),
        (deliver_notification_emails, "email"),
        (deliver_notification_emails, "email"),
    ):
        task.apply_async(queue=f"{prefix}{queue}")

    reminders = Notification.objects.filter(kind="feedback_due")
    assert wait_for(lambda: reminders.filter(emailed_at__isnull=False).count() == WINDOWS, 120)
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
