"""Enqueueing while the broker is down: the first failure marks it down, so a scan or a
run of saves costs one connection attempt, and the broker is tried again soon after."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.reminders import reminders_scan
from people.models import Notification
from people.notifications import notify
from talentdev.core.broker import breaker, enqueue
from tests import factories as f
from tests.conftest import unreachable_broker
from tests.services import CountingRefuser

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def broker_down():
    """A broker address that accepts each connection and drops it, counting them."""
    with CountingRefuser() as refuser, unreachable_broker(f"redis://127.0.0.1:{refuser.port}/0"):
        yield refuser


def test_thirty_saves_during_an_outage_cost_one_connection_attempt(
    broker_down, caplog, django_capture_on_commit_callbacks
):
    person = f.UserFactory()
    for i in range(30):
        with django_capture_on_commit_callbacks(execute=True):
            assert notify(recipient=person, kind="step_open", key=f"k{i}", title="Op", body=".")
    assert Notification.objects.count() == 30  # the saves themselves all went through
    assert broker_down.accepted == 1
    assert breaker.open
    assert "broker marked down" in caplog.text


def test_a_scan_during_an_outage_costs_what_it_costs_without_one(
    broker_down, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=4)]
    observer = f.UserFactory()
    for _ in range(25):
        f.FeedbackWindowFactory(
            observation__observer=observer,
            closes_at=timezone.now() + timedelta(hours=2),
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert len(reminders_scan()) == 25
    assert broker_down.accepted == 1


def test_the_broker_is_tried_again_once_the_retry_time_has_passed(broker_down, settings):
    settings.BROKER_RETRY_AFTER = 0.2
    assert not enqueue("people.tasks.deliver_notification_emails")
    assert not enqueue("people.tasks.deliver_notification_emails")
    assert broker_down.accepted == 1
    time.sleep(0.3)
    assert not enqueue("people.tasks.deliver_notification_emails")
    assert broker_down.accepted == 2


def test_a_broker_that_answers_is_used_and_leaves_the_breaker_closed():
    from talentdev.celery import app

    queue = "enqueue-test"
    assert enqueue("people.tasks.deliver_notification_emails", queue=queue)
    assert not breaker.open
    with app.connection_for_write() as connection:
        assert connection.default_channel.queue_purge(queue) == 1
